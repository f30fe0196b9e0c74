import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { ChunkStore } from '../shared/content/chunk-store.js';
import { isDigest, sha256 } from '../shared/digest.js';
import type { Logger } from '../shared/logger.js';
import type { TokenBucket } from '../shared/mesh/token-bucket.js';
import { parseRange } from './byte-range.js';
import type { DesiredSet } from './desired-set.js';
import type { DeviceCertificateCache } from './device-certificates.js';
import type { TrafficCounters } from './traffic-counters.js';

/** What the agent-facing HTTPS server serves from and reports to. */
export interface AgentServerDeps {
  store: ChunkStore; desired: DesiredSet; devices: DeviceCertificateCache; traffic: TrafficCounters; upload: TokenBucket; logger: Logger;
}

const CHUNK_PATH = /^\/v1\/chunks\/(sha256:[0-9a-f]{64})$/;
const MANIFEST_PATH = /^\/v1\/manifests\/(\d{1,12})$/;

/**
 * HTTPS for agents with mutual TLS (device certificates from our CA, revoked ones refused):
 * `GET /v1/chunks/:digest` (immutable) and `GET /v1/manifests/:packageId`, both with Range.
 */
export class AgentServer {
  private readonly server: Server;
  private connections = 0;

  constructor(private readonly deps: AgentServerDeps) {
    this.server = createServer({ requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' }, (req, res) => {
      this.handle(req, res).catch((err) => {
        deps.logger.error({ err }, 'agent request failed');
        if (!res.headersSent) error(res, 500, 'INTERNAL', 'internal error'); else res.destroy();
      });
    });
    this.server.on('secureConnection', (socket) => { this.connections++; socket.once('close', () => this.connections--); });
    // Idle keep-alive connections stay open longer than any agent keeps them (agents close theirs after
    // 10 s), so an agent never sends a request on a connection the node is closing (undici: UND_ERR_SOCKET).
    this.server.keepAliveTimeout = 65_000;
  }

  /** Listens before the node has its certificate (its port goes into the join request). */
  async listen(host: string, port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => { this.server.off('error', reject); resolve(); });
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** Installs the node's certificate and the CA that device certificates must chain to. */
  setIdentity(certPem: string, keyPem: string, caPem: string): void {
    this.server.setSecureContext({ cert: certPem, key: keyPem, ca: [caPem] });
  }

  /** Open agent connections. */
  openConnections(): number {
    return this.connections;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => { this.server.close(() => resolve()); this.server.closeAllConnections(); });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const cert = (req.socket as TLSSocket).getPeerCertificate();
    // A resumed TLS 1.3 session can look authorized without a certificate; require one every time.
    if (!(req.socket as TLSSocket).authorized || !cert?.serialNumber) return error(res, 401, 'UNAUTHENTICATED', 'a device certificate is required');
    const uuid = Array.isArray(cert.subject?.CN) ? undefined : cert.subject?.CN;
    if (!uuid || cert.subject?.OU !== 'device') return error(res, 403, 'FORBIDDEN', 'certificate is not a device certificate');
    if (!(await this.deps.devices.isActive(uuid, cert.serialNumber.toLowerCase()))) return error(res, 403, 'FORBIDDEN', 'certificate is revoked or unknown');
    if (req.method !== 'GET' && req.method !== 'HEAD') return error(res, 405, 'METHOD_NOT_ALLOWED', 'only GET and HEAD');
    const path = (req.url ?? '/').split('?')[0]!;
    const chunk = CHUNK_PATH.exec(path);
    if (chunk && isDigest(chunk[1])) {
      const bytes = await this.deps.store.get(chunk[1]);
      if (!bytes) return error(res, 404, 'NOT_FOUND', 'chunk not held by this node');
      const packageId = this.deps.desired.chunks().get(chunk[1])?.packageId ?? 0;
      return this.send(req, res, bytes, { etag: `"${chunk[1]}"`, cacheControl: 'public, max-age=31536000, immutable', type: 'application/octet-stream' }, packageId);
    }
    const manifest = MANIFEST_PATH.exec(path);
    if (manifest) {
      const pkg = this.deps.desired.get(Number(manifest[1]));
      if (!pkg) return error(res, 404, 'NOT_FOUND', 'package not held by this node');
      const body = Buffer.from(JSON.stringify(pkg.signed));
      return this.send(req, res, body, { etag: `"${sha256(body)}"`, cacheControl: 'no-cache', type: 'application/json' }, pkg.packageId);
    }
    return error(res, 404, 'NOT_FOUND', 'no such route');
  }

  private async send(req: IncomingMessage, res: ServerResponse, body: Uint8Array, h: { etag: string; cacheControl: string; type: string }, packageId: number): Promise<void> {
    res.setHeader('ETag', h.etag);
    res.setHeader('Cache-Control', h.cacheControl);
    res.setHeader('Accept-Ranges', 'bytes');
    res.setHeader('Content-Type', h.type);
    if (req.headers['if-none-match'] === h.etag) { res.statusCode = 304; res.end(); return; }
    const ifRange = req.headers['if-range'];
    const range = ifRange && ifRange !== h.etag ? undefined : parseRange(req.headers.range, body.length);
    if (range === null) {
      res.setHeader('Content-Range', `bytes */${body.length}`);
      return error(res, 416, 'RANGE_NOT_SATISFIABLE', `range outside 0..${body.length - 1}`);
    }
    const part = range ? body.subarray(range.start, range.end + 1) : body;
    if (range) { res.statusCode = 206; res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${body.length}`); }
    res.setHeader('Content-Length', part.length);
    if (req.method === 'HEAD') { res.end(); return; }
    await this.deps.upload.take(part.length);
    res.end(part);
    this.deps.traffic.add(packageId, 'toAgents', part.length);
  }
}

function error(res: ServerResponse, status: number, code: string, message: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Cache-Control', 'no-store');
  res.end(JSON.stringify({ error: { code, message } }));
}
