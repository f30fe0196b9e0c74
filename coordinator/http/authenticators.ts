import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Context } from 'koa';
import { ForbiddenError, UnauthenticatedError } from '../../shared/errors.js';
import type { ComputerRow } from '../db/models/computers.js';
import type { NodeRow } from '../db/models/nodes.js';
import type { NodeService } from '../nodes/node-service.js';
import type { AuditService } from '../services/audit-service.js';
import type { AuthService, AuthUser } from '../services/auth-service.js';
import type { ComputerService } from '../services/computer-service.js';
import type { Authenticators } from './define-route.js';
import { CSRF_HEADER, csrfMatches, readSessionCookie } from './session-cookie.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Identity read from a connection's client certificate, kept per socket so keep-alive requests skip the parse. */
const peerIdentities = new WeakMap<TLSSocket, { cn?: string; ou?: string; serial?: string }>();

function peerIdentity(socket: TLSSocket): { cn?: string; ou?: string; serial?: string } {
  let identity = peerIdentities.get(socket);
  if (!identity) {
    // On a connection's first call this costs about half of getPeerX509Certificate() (measured ~115 against ~200 µs
    // of a new connection's ~2 ms, which a herd of returning agents pays once each).
    const cert = socket.getPeerCertificate();
    // Node reports a resumed TLS 1.3 session as authorized even when no certificate was ever sent (the object is then empty).
    if (!cert?.serialNumber) return {};
    identity = { cn: single(cert.subject?.CN), ou: single(cert.subject?.OU), serial: cert.serialNumber.toLowerCase() };
    peerIdentities.set(socket, identity);
  }
  return identity;
}

/** A subject attribute given once; one given twice (an array) names nobody. */
function single(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Subject CN and serial of a client certificate issued by our CA with the given OU. */
function clientCertificate(req: IncomingMessage, ou: 'device' | 'node'): { cn: string; serial: string } {
  const socket = req.socket as TLSSocket;
  if (typeof socket.getPeerX509Certificate !== 'function' || !socket.authorized) {
    throw new UnauthenticatedError('a client certificate issued by this coordinator is required');
  }
  const { cn, ou: certOu, serial } = peerIdentity(socket);
  if (!serial) throw new UnauthenticatedError('a client certificate issued by this coordinator is required');
  if (!cn || certOu !== ou) throw new ForbiddenError(`certificate is not a ${ou} certificate`);
  return { cn, serial };
}

/** Bearer tokens or session cookies (with CSRF tokens on writes) for admins; client certificates issued by our CA for devices and nodes. */
export function createAuthenticators(auth: AuthService, computers: ComputerService, audit: AuditService, nodes: NodeService): Authenticators {
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

    async device(req: IncomingMessage): Promise<ComputerRow> {
      const { cn, serial } = clientCertificate(req, 'device');
      const computer = await computers.findActiveByCertificate(cn, serial);
      if (!computer) throw new ForbiddenError('certificate is revoked or unknown');
      return computer;
    },

    async node(req: IncomingMessage): Promise<NodeRow> {
      const { cn, serial } = clientCertificate(req, 'node');
      const node = await nodes.findActiveByCertificate(cn, serial);
      if (!node) throw new ForbiddenError('node certificate is revoked or unknown');
      return node;
    },

    requireWriter(user: AuthUser): void {
      if (user.role !== 'admin') throw new ForbiddenError(`role "${user.role}" is read-only`);
    },

    audit(user: AuthUser, ctx: Context, status: number, body: unknown): Promise<void> {
      return audit.record(user.username, `${ctx.method} ${ctx.path}`, status, body ?? null);
    },
  };
}
