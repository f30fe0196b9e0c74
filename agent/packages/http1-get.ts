import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

/** TLS material for https sources (ignored for http). */
export interface Http1Tls { ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer }

/** Limits of one GET: connecting, waiting for the response head, and silence between body bytes. */
export interface Http1Timeouts { connectMs: number; firstByteMs: number; idleMs: number }

/** Why a GET failed below HTTP: `code` names the step. */
export class Http1Error extends Error {
  constructor(readonly code: 'CONNECT_TIMEOUT' | 'HEADERS_TIMEOUT' | 'BODY_TIMEOUT' | 'SOCKET_CLOSED' | 'BAD_RESPONSE' | 'SOCKET_ERROR', message: string) { super(message); }
}

/** What a GET hands its caller: the status line's code, then body bytes; a part is valid only during the call. */
export interface Http1Handlers { onStatus(status: number): void; onBody(part: Uint8Array): void }

/** Bytes one socket read lands in (reused for every read of that connection). */
const READ_BUFFER_BYTES = 64 * 1024;
const MAX_HEAD_BYTES = 16 * 1024;
const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');

/** One response being read: head, then a Content-Length or chunked body. */
class Exchange {
  /** Head bytes received so far (copied: reads land in a reused buffer). */
  head: Buffer[] = [];
  /** Body bytes still expected: of the Content-Length, or of the current chunk. */
  remaining = 0;
  chunked = false;
  /** A chunked framing line received so far (copied). */
  line: Buffer[] = [];
  phase: 'head' | 'body' | 'size' | 'after-chunk' | 'trailer' | 'done' = 'head';
  keepAlive = true;
  timer?: NodeJS.Timeout;
  /** The timer counts silence between body bytes (refreshed per read) rather than the wait for the head. */
  bodyTimer = false;
  constructor(readonly handlers: Http1Handlers, readonly idleMs: number, readonly settle: (err?: Error) => void) {}
  finished(): boolean { return this.phase === 'done'; }
}

/**
 * A connection that reads into one reused buffer (`onread`): decrypted bytes are not allocated per read, so a
 * download of hundreds of megabytes leaves no garbage (whose external memory forced a full collection every ~15 MiB).
 */
class Connection {
  private readonly buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  private exchange?: Exchange;
  private idleTimer?: NodeJS.Timeout;
  private readonly socket: Socket;
  /** Closed, or its framing is done with (the server asked to close, or sent bytes past the answer). */
  closed = false;
  /** The current exchange received bytes (a failure before any means the server never saw or answered the request). */
  heard = false;

  constructor(url: URL, tls: Http1Tls, localAddress: string | undefined, private readonly onClose: (c: Connection) => void) {
    const onread = { buffer: this.buffer, callback: (n: number, buf: Uint8Array) => { this.feed(buf.subarray(0, n)); return true; } };
    const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const common = { host, port, onread, ...(localAddress ? { localAddress } : {}) };
    this.socket = url.protocol === 'https:'
      ? tlsConnect({ ...common, ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: true })
      : netConnect(common);
    this.socket.setNoDelay(true);
    this.socket.on('error', (err: Error & { code?: string }) => this.close(new Http1Error('SOCKET_ERROR', err.code ?? err.message)));
    this.socket.on('close', () => this.close(new Http1Error('SOCKET_CLOSED', 'the connection closed before the answer was complete')));
    this.socket.on('end', () => this.socket.destroy());
  }

  /** Resolves once connected (and the TLS handshake is done). */
  ready(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (err?: Error) => {
        clearTimeout(timer);
        this.socket.off('error', done).off('close', closed);
        if (err) {
          this.socket.destroy();
          reject(err);
        } else resolve();
      };
      const closed = () => done(new Http1Error('SOCKET_CLOSED', 'the connection closed while connecting'));
      const timer = setTimeout(() => done(new Http1Error('CONNECT_TIMEOUT', `no connection within ${timeoutMs} ms`)), timeoutMs);
      this.socket.once('encrypted' in this.socket ? 'secureConnect' : 'connect', () => done()).once('error', done).once('close', closed);
    });
  }

  /** Sends a GET and reads its answer; settles when the body is complete or the exchange failed. */
  get(url: URL, headers: Record<string, string>, handlers: Http1Handlers, timeouts: Http1Timeouts): Promise<void> {
    if (this.closed) return Promise.reject(new Http1Error('SOCKET_CLOSED', 'the connection is closed'));
    clearTimeout(this.idleTimer);
    this.socket.ref();
    this.heard = false;
    return new Promise((resolve, reject) => {
      const ex: Exchange = new Exchange(handlers, timeouts.idleMs, (err) => {
        clearTimeout(ex.timer);
        ex.phase = 'done';
        this.exchange = undefined;
        if (!err) return resolve();
        this.closed = true;
        this.socket.destroy();
        reject(err);
      });
      this.exchange = ex;
      ex.timer = setTimeout(() => ex.settle(new Http1Error('HEADERS_TIMEOUT', `no answer within ${timeouts.firstByteMs} ms`)), timeouts.firstByteMs);
      let head = `GET ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${url.host}\r\n`;
      for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
      this.socket.write(`${head}\r\n`);
    });
  }

  /** Idle between exchanges: does not keep the process alive; `onExpire` after `idleMs`. */
  park(idleMs: number, onExpire: () => void): void {
    this.socket.unref();
    this.idleTimer = setTimeout(onExpire, idleMs);
  }

  destroy(): void {
    clearTimeout(this.idleTimer);
    this.closed = true;
    this.socket.destroy();
  }

  private close(err: Error): void {
    clearTimeout(this.idleTimer);
    this.closed = true;
    this.exchange?.settle(err);
    this.onClose(this);
  }

  private feed(data: Uint8Array): void {
    const ex = this.exchange;
    if (!ex) {
      // Bytes nobody asked for: the connection's framing is lost.
      this.destroy();
      return;
    }
    this.heard = true;
    try {
      let at = 0;
      while (at < data.length && !ex.finished()) at = this.step(ex, data, at);
      if (ex.finished()) {
        if (at < data.length || !ex.keepAlive) this.closed = true;
        ex.settle();
      } else if (ex.phase !== 'head') {
        if (ex.bodyTimer) ex.timer?.refresh();
        else {
          clearTimeout(ex.timer);
          ex.bodyTimer = true;
          ex.timer = setTimeout(() => ex.settle(new Http1Error('BODY_TIMEOUT', `no answer bytes for ${ex.idleMs} ms`)), ex.idleMs);
        }
      }
    } catch (err) {
      ex.settle(err as Error);
    }
  }

  // Consumes bytes from `at` for the current phase; returns where it stopped.
  private step(ex: Exchange, data: Uint8Array, at: number): number {
    switch (ex.phase) {
      case 'head': {
        const part = Buffer.from(data.buffer, data.byteOffset + at, data.length - at);
        const joined = ex.head.length ? Buffer.concat([...ex.head, part]) : part;
        const end = joined.indexOf(HEAD_END);
        if (end < 0) {
          if (joined.length > MAX_HEAD_BYTES) throw new Http1Error('BAD_RESPONSE', 'answer head too large');
          ex.head = [Buffer.from(joined)];
          return data.length;
        }
        const used = end + 4 - (joined.length - part.length);
        this.parseHead(ex, joined.subarray(0, end).toString('latin1'));
        ex.head = [];
        return at + used;
      }
      case 'body': {
        const n = Math.min(ex.remaining, data.length - at);
        ex.remaining -= n;
        if (n) ex.handlers.onBody(data.subarray(at, at + n));
        if (ex.remaining === 0) ex.phase = ex.chunked ? 'after-chunk' : 'done';
        return at + n;
      }
      default: {
        // Chunked framing lines: read up to a CRLF.
        const rest = Buffer.from(data.buffer, data.byteOffset + at, data.length - at);
        const eol = rest.indexOf(CRLF);
        if (eol < 0) {
          ex.line.push(Buffer.from(rest));
          if (ex.line.reduce((s, b) => s + b.length, 0) > 1024) throw new Http1Error('BAD_RESPONSE', 'chunked framing line too long');
          return data.length;
        }
        const line = Buffer.concat([...ex.line, rest.subarray(0, eol)]).toString('latin1');
        ex.line = [];
        this.framing(ex, line);
        return at + eol + 2;
      }
    }
  }

  private framing(ex: Exchange, line: string): void {
    if (ex.phase === 'after-chunk') {
      if (line !== '') throw new Http1Error('BAD_RESPONSE', 'chunk not followed by CRLF');
      ex.phase = 'size';
    } else if (ex.phase === 'size') {
      // Hex digits only (parseInt would take "1g" as 1), at most 2^48 - 1: an exact integer.
      const digits = line.split(';')[0]!.trim();
      if (!/^[0-9a-fA-F]{1,12}$/.test(digits)) throw new Http1Error('BAD_RESPONSE', `bad chunk size "${line.slice(0, 40)}"`);
      const size = Number.parseInt(digits, 16);
      if (size === 0) ex.phase = 'trailer';
      else { ex.remaining = size; ex.phase = 'body'; }
    } else if (line === '') ex.phase = 'done';
  }

  private parseHead(ex: Exchange, head: string): void {
    const lines = head.split('\r\n');
    const status = /^HTTP\/1\.([01]) (\d{3})/.exec(lines[0] ?? '');
    if (!status) throw new Http1Error('BAD_RESPONSE', `not an HTTP/1 answer: "${(lines[0] ?? '').slice(0, 40)}"`);
    let length: number | undefined;
    ex.keepAlive = status[1] === '1';
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim().toLowerCase();
      if (name === 'content-length') length = /^\d{1,15}$/.test(value) ? Number(value) : Number.NaN;
      else if (name === 'transfer-encoding') ex.chunked = value.split(',').pop()!.trim() === 'chunked';
      else if (name === 'connection') ex.keepAlive = value !== 'close' && (ex.keepAlive || value === 'keep-alive');
    }
    ex.handlers.onStatus(Number(status[2]));
    if (ex.chunked) ex.phase = 'size';
    else if (length === undefined || !Number.isSafeInteger(length) || length < 0) throw new Http1Error('BAD_RESPONSE', 'answer without a valid Content-Length');
    else {
      ex.remaining = length;
      ex.phase = length ? 'body' : 'done';
    }
  }
}

/**
 * Minimal HTTP/1.1 GET client for chunk downloads: keep-alive connections per origin, reads into one reused buffer
 * per connection, body parts handed over synchronously. A reused connection that closes before answering (the
 * server dropped it while idle) is retried once on a new one. Callers bound how many GETs run at once.
 */
export class Http1Getter {
  private readonly idle = new Map<string, Connection[]>();
  private closing = false;

  constructor(private readonly tls: Http1Tls, private readonly opts: { localAddress?: string; idleMs: number; maxIdlePerOrigin: number }) {}

  async get(url: URL, headers: Record<string, string>, handlers: Http1Handlers, timeouts: Http1Timeouts, signal?: AbortSignal): Promise<void> {
    for (let retried = false; ; retried = true) {
      signal?.throwIfAborted();
      const reused = retried ? undefined : this.idle.get(url.origin)?.pop();
      const conn = reused ?? new Connection(url, this.tls, this.opts.localAddress, (c) => this.forget(url.origin, c));
      const abort = () => conn.destroy();
      signal?.addEventListener('abort', abort, { once: true });
      try {
        if (!reused) await conn.ready(timeouts.connectMs);
        await conn.get(url, headers, handlers, timeouts);
        if (conn.closed || this.closing) conn.destroy();
        else this.park(url.origin, conn);
        return;
      } catch (err) {
        conn.destroy();
        signal?.throwIfAborted();
        // A kept connection the server dropped while it was idle: the request never reached it, so ask once more.
        const dropped = err instanceof Http1Error && (err.code === 'SOCKET_CLOSED' || err.code === 'SOCKET_ERROR') && !conn.heard;
        if (!reused || !dropped) throw err;
      } finally {
        signal?.removeEventListener('abort', abort);
      }
    }
  }

  close(): void {
    this.closing = true;
    for (const list of this.idle.values()) for (const c of list) c.destroy();
    this.idle.clear();
  }

  private park(origin: string, conn: Connection): void {
    const list = this.idle.get(origin) ?? [];
    if (list.length >= this.opts.maxIdlePerOrigin) return conn.destroy();
    list.push(conn);
    this.idle.set(origin, list);
    conn.park(this.opts.idleMs, () => conn.destroy());
  }

  private forget(origin: string, conn: Connection): void {
    const list = this.idle.get(origin);
    const i = list?.indexOf(conn) ?? -1;
    if (i >= 0) list!.splice(i, 1);
  }
}
