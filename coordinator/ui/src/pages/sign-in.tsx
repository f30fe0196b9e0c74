import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { Session } from '../api/types.js';
import { useAction } from '../api/use-action.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Field } from '../components/field.js';

/** Username/password form; on success hands the new session to the app. */
export function SignIn({ onSignedIn }: { onSignedIn(s: Session): void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { run, busy, error } = useAction(() => api<Session>('POST', '/auth/session', { username, password }));
  const submit = async (e: Event) => {
    e.preventDefault();
    const s = await run();
    if (s) onSignedIn(s);
  };
  return (
    <main class="sign-in">
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to Homing</h1>
        {error && <ErrorBanner error={error} />}
        <Field label="Username">{(id) => <input id={id} name="username" autocomplete="username" required value={username} onInput={(e) => setUsername(e.currentTarget.value)} />}</Field>
        <Field label="Password">{(id) => <input id={id} name="password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />}</Field>
        <button type="submit" class="primary" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}
