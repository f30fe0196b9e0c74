import type { Middleware } from 'koa';

/** Strict CSP for the web UI: same-origin scripts, styles and fetches only; no inline code, no framing. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
  "font-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

/** Sets CSP, anti-framing, referrer and HSTS headers on every answer (API answers included; they cost nothing). */
export function securityHeaders(): Middleware {
  return async (ctx, next) => {
    ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
    ctx.set('Strict-Transport-Security', 'max-age=31536000');
    await next();
  };
}
