import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Session } from '../api/types.js';

/** The signed-in session, provided by the app shell. */
export const SessionContext = createContext<{ session: Session; signOut(): void } | null>(null);

/** The signed-in session (inside the app shell only). */
export function useSession(): { session: Session; signOut(): void } {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside the signed-in shell');
  return s;
}

/** True when the signed-in user may change things (admins; auditors only read). */
export function useCanWrite(): boolean {
  return useSession().session.role === 'admin';
}
