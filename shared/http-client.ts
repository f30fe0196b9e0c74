import { Agent, request } from 'undici';
import { RemoteError } from './errors.js';

/** TLS identity and trust for a client: the CA to pin, and the client certificate when there is one. */
export interface TlsIdentity { ca: string; cert?: string; key?: string }

/** Options of an `HttpClient`. */
export interface HttpClientOptions extends TlsIdentity {
  /** Base URLs tried in order; a failing one is skipped until the others fail too. */
  urls: string[];
  timeoutMs?: number;
  /** Local address to bind outgoing sockets to (emulating a building's subnet on loopback). */
  localAddress?: string;
}

/** Per-call options. */
export interface RequestOptions { signal?: AbortSignal; timeoutMs?: number; headers?: Record<string, string> }

const DEFAULT_TIMEOUT_MS = 30_000;

function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * JSON over HTTPS with mutual TLS, keep-alive, TLS session resumption (undici caches sessions),
 * timeouts, failover across several base URLs, and error answers mapped to `RemoteError` codes.
 */
export class HttpClient {
  private readonly agent: Agent;
  private preferred = 0;

  constructor(private readonly opts: HttpClientOptions) {
    if (!opts.urls.length) throw new RemoteError('NO_URL', 'no coordinator URL configured', 0, false);
    this.agent = new Agent({
      connect: { ca: opts.ca, cert: opts.cert, key: opts.key, rejectUnauthorized: true, maxCachedSessions: 16 },
      // undici binds sockets from the dispatcher option; a `connect.localAddress` is silently ignored.
      ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
      // Closed by us well before the coordinator's 65 s (and despite its keep-alive hint), so a request never
      // races the server closing an idle connection (undici: UND_ERR_SOCKET).
      keepAliveTimeout: 30_000, keepAliveMaxTimeout: 30_000,
      connections: 4,
    });
  }

  /** Sends a JSON request; tries each base URL once on network errors and retryable answers. */
  json<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return this.failover((base) => this.once<T>(base, method, path, body, options), options.signal);
  }

  /** GETs raw bytes (a chunk; `headers.range` for part of it), refusing answers longer than `maxBytes`; same failover and errors as `json`. */
  bytes(path: string, options: RequestOptions & { maxBytes: number }): Promise<Uint8Array> {
    return this.failover((base) => this.once<Uint8Array>(base, 'GET', path, undefined, options, options.maxBytes), options.signal);
  }

  private async failover<T>(call: (base: string) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const urls = this.opts.urls;
    let lastError: RemoteError | undefined;
    for (let i = 0; i < urls.length; i++) {
      const index = (this.preferred + i) % urls.length;
      try {
        const result = await call(urls[index]!);
        this.preferred = index;
        return result;
      } catch (err) {
        if (!(err instanceof RemoteError) || !err.retryable || signal?.aborted) throw err;
        lastError = err;
      }
    }
    throw lastError!;
  }

  // With `maxBytes` a success answer is returned as raw bytes (at most that many), else parsed as JSON.
  private async once<T>(base: string, method: string, path: string, body: unknown, options: RequestOptions, maxBytes?: number): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const signals = [AbortSignal.timeout(timeoutMs), ...(options.signal ? [options.signal] : [])];
    let res;
    try {
      res = await request(new URL(path, base), {
        method: method as 'GET',
        dispatcher: this.agent,
        signal: AbortSignal.any(signals),
        headers: { accept: maxBytes === undefined ? 'application/json' : 'application/octet-stream', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    } catch (err) {
      if (options.signal?.aborted) throw err;
      const e = err as Error & { code?: string };
      const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError';
      throw new RemoteError(timedOut ? 'TIMEOUT' : 'NETWORK', `${method} ${base}${path}: ${timedOut ? `no answer within ${timeoutMs} ms` : e.code ?? e.message}`, 0, true);
    }
    if (maxBytes !== undefined && res.statusCode >= 200 && res.statusCode < 300) return await readBytes(res.body, maxBytes, `${method} ${path}`) as T;
    const text = await res.body.text();
    if (res.statusCode === 204) return undefined as T;
    let parsed: unknown;
    try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = undefined; }
    if (res.statusCode >= 200 && res.statusCode < 300) return parsed as T;
    const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
    const retryAfter = Number(res.headers['retry-after']);
    throw new RemoteError(
      error?.code ?? `HTTP_${res.statusCode}`,
      `${method} ${path}: ${error?.message ?? `HTTP ${res.statusCode}`}`,
      res.statusCode,
      isRetryableStatus(res.statusCode),
      Number.isFinite(retryAfter) ? retryAfter : undefined,
    );
  }

  /** Closes pooled connections. */
  close(): Promise<void> {
    return this.agent.close();
  }
}

async function readBytes(body: AsyncIterable<Uint8Array> & { destroy(): unknown }, maxBytes: number, what: string): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const part of body) {
    size += part.length;
    if (size > maxBytes) {
      body.destroy();
      throw new RemoteError('RESPONSE_TOO_LARGE', `${what}: answer exceeds ${maxBytes} bytes`, 0, false);
    }
    parts.push(part);
  }
  return Buffer.concat(parts, size);
}
