import type { TlsIdentity } from '../../shared/http-client.js';
import { Http1Getter } from './http1-get.js';

/** How long a source may take before the agent moves on. */
export interface SourceLimits {
  connectMs: number;
  /** From request sent to response headers. */
  firstByteMs: number;
  /** Longest silence between body bytes. */
  idleMs: number;
  /** After `graceMs` of body, slower than this fails the source. */
  minBytesPerSecond: number;
  graceMs: number;
}

/** Defaults: a dead or stalled source costs seconds, a trickling one at most a few more. */
export const DEFAULT_SOURCE_LIMITS: SourceLimits = { connectMs: 3000, firstByteMs: 5000, idleMs: 5000, minBytesPerSecond: 64 * 1024, graceMs: 3000 };

/** How long an idle connection to a source is kept; well under the 65 s that nodes and the coordinator keep theirs. */
const IDLE_CONNECTION_MS = 10_000;

/** A source failed (unreachable, error answer, too slow); bytes it delivered before failing were kept. */
export class SourceFailedError extends Error {
  constructor(readonly url: string, message: string) { super(`${url}: ${message}`); }
}

/** GETs bytes `from` an offset of a resource, handing each part to `onPart` as it arrives (a part is valid only during the call: copy what you keep). */
export type FetchFrom = (url: string, from: number, maxBytes: number, onPart: (part: Uint8Array) => void, signal?: AbortSignal) => Promise<void>;

/**
 * A fetcher over mutual TLS (device certificate) with optional local address binding, enforcing `limits`.
 * Asks with `Range: bytes=<from>-`; a source that ignores Range (200) has its first `from` bytes skipped.
 * Parts handed to `onPart` are valid only during the call (connections read into one reused buffer each).
 */
export function createSourceFetcher(tls: TlsIdentity & { localAddress?: string }, limits: SourceLimits = DEFAULT_SOURCE_LIMITS): { fetch: FetchFrom; close(): Promise<void> } {
  const getter = new Http1Getter(
    { ca: tls.ca, ...(tls.cert ? { cert: tls.cert } : {}), ...(tls.key ? { key: tls.key } : {}) },
    // The agent closes idle connections first (nodes keep them 65 s): a request never races the node's close.
    { ...(tls.localAddress ? { localAddress: tls.localAddress } : {}), idleMs: IDLE_CONNECTION_MS, maxIdlePerOrigin: 8 },
  );
  const timeouts = { connectMs: limits.connectMs, firstByteMs: limits.firstByteMs, idleMs: limits.idleMs };
  const fetch: FetchFrom = async (url, from, maxBytes, onPart, signal) => {
    let skip = 0;
    let got = 0;
    let started = 0;
    const handlers = {
      onStatus(status: number) {
        if (status !== 200 && status !== 206) throw new SourceFailedError(url, `HTTP ${status}`);
        skip = status === 200 ? from : 0;
        started = Date.now();
      },
      onBody(raw: Uint8Array) {
        const part = skip ? raw.subarray(Math.min(skip, raw.length)) : raw;
        skip = Math.max(0, skip - raw.length);
        got += part.length;
        if (from + got > maxBytes) throw new SourceFailedError(url, `answer exceeds ${maxBytes} bytes`);
        if (part.length) onPart(part);
        const elapsed = Date.now() - started;
        if (elapsed > limits.graceMs && (got * 1000) / elapsed < limits.minBytesPerSecond) {
          throw new SourceFailedError(url, `slower than ${limits.minBytesPerSecond} B/s`);
        }
      },
    };
    try {
      await getter.get(new URL(url), { accept: 'application/octet-stream', ...(from > 0 ? { range: `bytes=${from}-` } : {}) }, handlers, timeouts, signal);
    } catch (err) {
      if (signal?.aborted || err instanceof SourceFailedError) throw err;
      throw new SourceFailedError(url, (err as Error & { code?: string }).code ?? (err as Error).message);
    }
  };
  return { fetch, close: async () => getter.close() };
}
