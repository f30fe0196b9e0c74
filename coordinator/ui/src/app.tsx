import { useEffect, useState } from 'preact/hooks';
import { api, setCsrfToken, setUnauthenticatedHandler } from './api/client.js';
import type { Session } from './api/types.js';
import { Nav } from './components/nav.js';
import { SignIn } from './pages/sign-in.js';
import { usePath } from './router/router.js';
import { pageFor } from './routes.js';
import { SessionContext } from './session/session.js';

/** The app shell: restores the cookie session, shows sign-in without one, else navigation plus the routed page. */
export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const { path } = usePath();
  const accept = (s: Session | null) => { setCsrfToken(s?.csrfToken ?? ''); setSession(s); };
  useEffect(() => {
    setUnauthenticatedHandler(() => accept(null));
    api<Session>('GET', '/auth/session').then(accept, () => accept(null));
  }, []);
  if (session === undefined) return <p class="loading" role="status">Loading…</p>;
  if (session === null) return <SignIn onSignedIn={accept} />;
  const signOut = () => { void api('DELETE', '/auth/session').finally(() => accept(null)); };
  return (
    <SessionContext.Provider value={{ session, signOut }}>
      <div class="shell">
        <a class="skip" href="#main">Skip to content</a>
        <Nav path={path} />
        <main id="main" tabIndex={-1}>{pageFor(path)}</main>
      </div>
    </SessionContext.Provider>
  );
}
