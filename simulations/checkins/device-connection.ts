import { Agent, request } from 'node:https';
import type { TLSSocket } from 'node:tls';

/** Where virtual agents connect and the trust and key they share. */
export interface ConnectionTarget {
  host: string;
  port: number;
  /** The coordinator's CA (pinned, as the agent does). */
  caPem: string;
  /** The one private key every virtual device's certificate is issued for. */
  keyPem: string;
  /** A request without an answer for this long fails. */
  timeoutMs: number;
}

/** One answered request: status, `Retry-After` seconds when given, body text and the time it took. */
export interface DeviceAnswer { status: number; retryAfterSeconds?: number; text: string; ms: number }

/**
 * One visit of one device: a fresh mutual-TLS connection that offers the device's saved TLS session
 * (resumption, as the agent's undici client does) and carries the visit's requests over keep-alive,
 * then closes — a real agent's connection has timed out long before its next check-in.
 */
export class DeviceConnection {
  private readonly agent: Agent;
  private socket?: TLSSocket;
  /** The newest session ticket the server sent on this connection. */
  session?: Buffer;

  constructor(private readonly target: ConnectionTarget, private readonly certPem: string, private readonly offered: Buffer | undefined) {
    this.agent = new Agent({ keepAlive: true, maxSockets: 1, maxCachedSessions: 0 });
  }

  /** Whether the TLS session was resumed (undefined before the connection exists). */
  get resumed(): boolean | undefined {
    return this.socket?.isSessionReused();
  }

  /** POSTs a JSON body string and reads the whole answer. */
  post(path: string, body: string): Promise<DeviceAnswer> {
    const started = performance.now();
    const { host, port, caPem, keyPem, timeoutMs } = this.target;
    return new Promise((resolve, reject) => {
      const req = request({
        agent: this.agent, host, port, path, method: 'POST',
        ca: caPem, cert: this.certPem, key: keyPem, rejectUnauthorized: true,
        ...(this.offered ? { session: this.offered } : {}),
        headers: { 'content-type': 'application/json', accept: 'application/json', 'content-length': Buffer.byteLength(body) },
      }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (b: Buffer) => parts.push(b));
        res.on('end', () => {
          const retryAfter = Number(res.headers['retry-after']);
          resolve({
            status: res.statusCode ?? 0, text: Buffer.concat(parts).toString('utf8'), ms: performance.now() - started,
            ...(res.headers['retry-after'] !== undefined && Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}),
          });
        });
        res.on('error', reject);
      });
      req.on('socket', (s) => {
        const socket = s as TLSSocket;
        if (this.socket === socket) return;
        this.socket = socket;
        socket.on('session', (ticket: Buffer) => { this.session = ticket; });
      });
      req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'TIMEOUT' })));
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Closes the connection. */
  close(): void {
    this.agent.destroy();
  }
}
