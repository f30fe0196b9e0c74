import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';

/** The session cookie; `__Host-` makes browsers insist on Secure, Path=/ and no Domain. */
export const SESSION_COOKIE = '__Host-homing-session';

/** Header carrying the CSRF token on cookie-authenticated writes. */
export const CSRF_HEADER = 'x-csrf-token';

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{10,200}$/;

/** The CSRF token bound to a session token: only a holder of the (HttpOnly) session token can derive it. */
export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('homing-csrf-v1').digest('base64url');
}

/** True when `presented` is the CSRF token of `sessionToken` (constant-time). */
export function csrfMatches(sessionToken: string, presented: string): boolean {
  const expected = Buffer.from(csrfTokenFor(sessionToken));
  const got = Buffer.from(presented);
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/** The session token from the request's cookie, if it has a plausible shape. */
export function readSessionCookie(ctx: Context): string | undefined {
  const value = ctx.cookies.get(SESSION_COOKIE);
  return value && TOKEN_SHAPE.test(value) ? value : undefined;
}

/** Sets the session cookie: HttpOnly, Secure, SameSite=Strict, expiring with the token. */
export function setSessionCookie(ctx: Context, token: string, expiresAt: Date): void {
  ctx.cookies.set(SESSION_COOKIE, token, { httpOnly: true, secure: true, sameSite: 'strict', path: '/', expires: expiresAt, overwrite: true });
}

/** Expires the session cookie in the browser. */
export function clearSessionCookie(ctx: Context): void {
  ctx.cookies.set(SESSION_COOKIE, '', { httpOnly: true, secure: true, sameSite: 'strict', path: '/', expires: new Date(0), overwrite: true });
}
