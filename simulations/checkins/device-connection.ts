import { Agent, request } from 'node:https';
import { createSecureContext, type ConnectionOptions, type TLSSocket } from 'node:tls';

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

/** One answered request: status, `Retry-After` seconds when given, body text, the time it took and, if it opened the connection, the time until TLS was up. */
export interface DeviceAnswer { status: number; retryAfterSeconds?: number; text: string; ms: number; handshakeMs?: number }

/**
 * One visit of one device: a fresh mutual-TLS connection that offers the device's saved TLS session
 * (resumption, as the agent's undici client does) and carries the visit's requests over keep-alive,
 * then closes — a real agent's connection has timed out long before its next check-in. Parsing the
 * device's key, certificate and CA into a TLS context (~1 ms of the simulator's CPU, which a real agent
 * spends once at start) happens in the constructor, so a request's time is the connection, the
 * handshake and the answer.
 */
export class DeviceConnection {
  private readonly agent: Agent;
  private socket?: TLSSocket;
  /** The newest session ticket the server sent on this connection. */
  session?: Buffer;

  /** Handed to the TLS connection (Node's https options pass them on; their type does not list them). */
  private readonly tlsOptions: Pick<ConnectionOptions, 'secureContext' | 'session'>;

  constructor(private readonly target: ConnectionTarget, certPem: string, offered: Buffer | undefined) {
    this.agent = new Agent({ keepAlive: true, maxSockets: 1, maxCachedSessions: 0 });
    this.tlsOptions = {
      secureContext: createSecureContext({ ca: target.caPem, cert: certPem, key: target.keyPem }),
      ...(offered ? { session: offered } : {}),
    };
  }

  /** Whether the TLS session was resumed (undefined before the connection exists). */
  get resumed(): boolean | undefined {
    return this.socket?.isSessionReused();
  }

  /** POSTs a JSON body string and reads the whole answer. */
  post(path: string, body: string): Promise<DeviceAnswer> {
    const started = performance.now();
    const { host, port, timeoutMs } = this.target;
    let handshakeMs: number | undefined;
    return new Promise((resolve, reject) => {
      const req = request({
        agent: this.agent, host, port, path, method: 'POST',
        ...this.tlsOptions, rejectUnauthorized: true,
        headers: { 'content-type': 'application/json', accept: 'application/json', 'content-length': Buffer.byteLength(body) },
      }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (b: Buffer) => parts.push(b));
        res.on('end', () => {
          const retryAfter = Number(res.headers['retry-after']);
          resolve({
            status: res.statusCode ?? 0, text: Buffer.concat(parts).toString('utf8'), ms: performance.now() - started,
            ...(handshakeMs !== undefined ? { handshakeMs } : {}),
            ...(res.headers['retry-after'] !== undefined && Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}),
          });
        });
        res.on('error', reject);
      });
      req.on('socket', (s) => {
        const socket = s as TLSSocket;
        if (this.socket === socket) return;
        this.socket = socket;
        socket.once('secureConnect', () => { handshakeMs = performance.now() - started; });
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
