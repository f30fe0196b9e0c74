import type { TLSSocket } from 'node:tls';
import type { Context } from 'koa';
import { ForbiddenError, UnauthenticatedError } from '../../shared/errors.js';
import type { ComputerRow } from '../db/models/computers.js';
import type { AuditService } from '../services/audit-service.js';
import type { AuthService, AuthUser } from '../services/auth-service.js';
import type { ComputerService } from '../services/computer-service.js';
import type { Authenticators } from './define-route.js';
import { CSRF_HEADER, csrfMatches, readSessionCookie } from './session-cookie.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Bearer tokens or session cookies (with CSRF tokens on writes) for admins; client certificates issued by our CA for devices. */
export function createAuthenticators(auth: AuthService, computers: ComputerService, audit: AuditService): Authenticators {
  return {
    async admin(ctx: Context): Promise<AuthUser> {
      const header = ctx.get('authorization');
      const match = /^Bearer ([A-Za-z0-9_-]{10,200})$/.exec(header);
      if (match) return auth.authenticate(match[1]!);
      const session = readSessionCookie(ctx);
      if (!session) throw new UnauthenticatedError('an admin bearer token is required (POST /api/v1/auth/token)');
      // Checked before the session so a forged cross-site write learns nothing about the cookie.
      if (!SAFE_METHODS.has(ctx.method) && !csrfMatches(session, ctx.get(CSRF_HEADER))) {
        throw new ForbiddenError('a valid X-CSRF-Token header is required with a session cookie');
      }
      return auth.authenticate(session);
    },

    async device(ctx: Context): Promise<ComputerRow> {
      const socket = ctx.req.socket as TLSSocket;
      if (typeof socket.getPeerCertificate !== 'function' || !socket.authorized) {
        throw new UnauthenticatedError('a client certificate issued by this coordinator is required');
      }
      const cert = socket.getPeerCertificate();
      // Node reports a resumed TLS 1.3 session as authorized even when no certificate was ever sent.
      if (!cert || !cert.subject || !cert.serialNumber) throw new UnauthenticatedError('a client certificate issued by this coordinator is required');
      const uuid = Array.isArray(cert.subject?.CN) ? undefined : cert.subject?.CN;
      if (!uuid || cert.subject?.OU !== 'device') throw new ForbiddenError('certificate is not a device certificate');
      const computer = await computers.findActiveByCertificate(uuid, cert.serialNumber.toLowerCase());
      if (!computer) throw new ForbiddenError('certificate is revoked or unknown');
      return computer;
    },

    requireWriter(user: AuthUser): void {
      if (user.role !== 'admin') throw new ForbiddenError(`role "${user.role}" is read-only`);
    },

    audit(user: AuthUser, ctx: Context, status: number, body: unknown): Promise<void> {
      return audit.record(user.username, `${ctx.method} ${ctx.path}`, status, body ?? null);
    },
  };
}
