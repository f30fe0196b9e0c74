import type { ChunkBuffers } from '../../shared/content/chunk-buffers.js';
import { inThreadHasher, type ChunkHasher } from '../../shared/content/hash-workers.js';
import { digestEquals } from '../../shared/digest.js';
import type { Logger } from '../../shared/logger.js';
import type { DistributionSource } from '../../shared/schemas/segment.js';
import type { ChunkRef, ChunkSource } from './chunk-source.js';
import { PackageInstallError } from './errors.js';
import { SourceFailedError, type FetchFrom } from './source-fetcher.js';

/** What the chain source needs: the current chain, a fetcher, a clock, and how long a failed source stays skipped. */
export interface ChainChunkSourceDeps {
  chain(): readonly DistributionSource[];
  fetch: FetchFrom;
  now(): number;
  logger: Logger;
  /** A source that failed is skipped this long (the rest of a policy run). */
  badForMs?: number;
  /** Hashes received chunks (default: on this thread); worker threads keep hashing beside TLS and the disk. */
  hasher?: ChunkHasher;
}

/** Bytes one source delivered. */
export interface SourceBytes { nodeId: number | null; bytes: number }

const BAD_FOR_MS = 15 * 60_000;

/**
 * Chunks over the distribution chain: each chunk from the first source not marked bad; when a source fails
 * mid-chunk, the rest of that chunk comes from the next source with Range (bytes already received are kept);
 * a chunk that fails its digest is fetched whole again from the next source. Counts bytes per source.
 * Bytes land in one shared-memory buffer of the chunk's signed size as they arrive (from the caller's pool when it
 * passes one), so a hash worker reads them in place and nothing is copied again.
 */
export class ChainChunkSource implements ChunkSource {
  /** Every chunk returned has passed its digest (a failing one is fetched again from the next source). */
  readonly verifies = true;
  private readonly bad = new Map<string, number>();
  private received = new Map<string, SourceBytes>();

  constructor(private readonly deps: ChainChunkSourceDeps) {}

  async fetch(chunk: ChunkRef, signal?: AbortSignal, buffers?: ChunkBuffers): Promise<Uint8Array> {
    const bytes = buffers?.acquire(chunk.size) ?? Buffer.from(new SharedArrayBuffer(chunk.size));
    try {
      return await this.fetchInto(chunk, bytes, signal);
    } catch (err) {
      buffers?.release(bytes);
      throw err;
    }
  }

  /** Bytes per source since the last call (one package's download), and resets the count. */
  takeReceived(): SourceBytes[] {
    const out = [...this.received.values()];
    this.received = new Map();
    return out;
  }

  private async fetchInto(chunk: ChunkRef, bytes: Buffer, signal?: AbortSignal): Promise<Uint8Array> {
    let have = 0;
    const failures: string[] = [];
    for (const source of this.deps.chain()) {
      const key = `${source.baseUrl}${source.chunkPath}`;
      if ((this.bad.get(key) ?? 0) > this.deps.now()) continue;
      const url = new URL(`${source.chunkPath}${chunk.digest}`, source.baseUrl).href;
      const onPart = (part: Uint8Array) => {
        if (have + part.length > chunk.size) throw new SourceFailedError(url, `sent more than the chunk's ${chunk.size} bytes`);
        bytes.set(part, have);
        have += part.length;
        this.count(key, source, part.length);
      };
      try {
        await this.deps.fetch(url, have, chunk.size, onPart, signal);
        if (have !== chunk.size) throw new SourceFailedError(url, `sent ${have} of ${chunk.size} bytes`);
        if (digestEquals(await (this.deps.hasher ?? inThreadHasher).digest(bytes), chunk.digest)) return bytes;
        have = 0;
        throw new SourceFailedError(url, 'chunk failed its digest');
      } catch (err) {
        if (signal?.aborted || !(err instanceof SourceFailedError)) throw err;
        failures.push(err.message);
        this.bad.set(key, this.deps.now() + (this.deps.badForMs ?? BAD_FOR_MS));
        this.deps.logger.warn({ source: source.nodeId ?? 'origin', err: err.message }, 'download source failed; trying the next');
      }
    }
    throw new PackageInstallError('NO_SOURCE', `no source could deliver chunk ${chunk.digest}: ${failures.join('; ') || 'every source is marked bad'}`);
  }

  private count(key: string, source: DistributionSource, bytes: number): void {
    const entry = this.received.get(key) ?? { nodeId: source.nodeId, bytes: 0 };
    entry.bytes += bytes;
    this.received.set(key, entry);
  }
}
