import { UnauthenticatedError } from '../../shared/errors.js';
import { TokenRequest } from '../../shared/schemas/auth.js';
import { Session } from '../../shared/schemas/session.js';
import { route } from '../http/define-route.js';
import { clearSessionCookie, csrfTokenFor, readSessionCookie, setSessionCookie } from '../http/session-cookie.js';
import type { AuthService } from '../services/auth-service.js';

/** Cookie sessions for the web UI: sign in (throttled like tokens), who am I, sign out. */
export function sessionRoutes(auth: AuthService) {
  const path = '/api/v1/auth/session';
  const tag = 'auth';
  return [
    route({
      method: 'post', path, access: 'public', tag, summary: 'Sign in; sets an HttpOnly session cookie and returns the CSRF token',
      body: TokenRequest, response: Session, status: 201, bodyLimit: 8192,
      handler: async ({ body, ctx }) => {
        const t = await auth.signIn(body.username, body.password, ctx.ip);
        setSessionCookie(ctx, t.token, t.expiresAt);
        return { username: body.username, role: t.role, csrfToken: csrfTokenFor(t.token) };
      },
    }),
    route({
      method: 'get', path, access: 'read', tag, summary: 'The signed-in user of this session cookie and its CSRF token', response: Session,
      handler: async ({ ctx, user }) => {
        const token = readSessionCookie(ctx);
        if (!token) throw new UnauthenticatedError('no session cookie');
        return { username: user!.username, role: user!.role, csrfToken: csrfTokenFor(token) };
      },
    }),
    route({
      method: 'delete', path, access: 'read', tag, summary: 'Sign out: revokes the session and clears the cookie', status: 204,
      handler: async ({ ctx }) => {
        const token = readSessionCookie(ctx);
        if (token) await auth.signOut(token);
        clearSessionCookie(ctx);
      },
    }),
  ];
}
