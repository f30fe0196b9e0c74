import type { Middleware } from 'koa';

/** Strict CSP for the web UI: same-origin scripts, styles and fetches only; no inline code, no framing. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
  "font-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

/**
 * Headers on every API answer: not cached unless a route says otherwise (signed bundles, tokens), no
 * MIME sniffing, HTTPS only. Device routes (agents over mTLS, never rendered by a browser) send these
 * alone: each header costs every one of a fleet's check-ins parsing and validation on both ends.
 */
export const API_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Strict-Transport-Security': 'max-age=31536000',
});

/** API_HEADERS plus what protects documents a browser renders (the web UI, anything an admin opens): CSP, anti-framing, referrer, opener isolation. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  ...API_HEADERS,
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
});

/** Sets SECURITY_HEADERS before the rest of the app runs (routes may override Cache-Control). */
export function securityHeaders(): Middleware {
  return async (ctx, next) => {
    ctx.set(SECURITY_HEADERS);
    await next();
  };
}
