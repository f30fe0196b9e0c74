import type { ChunkBuffers } from '../../shared/content/chunk-buffers.js';
import type { Manifest } from '../../shared/content/manifest.js';
import type { CoordinatorClient } from '../coordinator-client.js';

/** One chunk a manifest lists. */
export type ChunkRef = Manifest['chunks'][number];

/** Where an agent gets chunk bytes: the origin now, distribution nodes later. Callers verify what they get. */
export interface ChunkSource {
  /** The chunk's bytes; with `buffers`, a source may land them in a buffer from that pool, which the caller then releases. */
  fetch(chunk: ChunkRef, signal?: AbortSignal, buffers?: ChunkBuffers): Promise<Uint8Array>;
  /** True when `fetch` returns only bytes it has checked against the chunk's digest (the cache then skips hashing them again). */
  readonly verifies?: boolean;
}

/** Chunks from the coordinator's origin store (`GET /device/v1/chunks/:digest`); `client()` is read per call (renewals replace it). */
export class OriginChunkSource implements ChunkSource {
  constructor(private readonly client: () => CoordinatorClient) {}

  fetch(chunk: ChunkRef, signal?: AbortSignal): Promise<Uint8Array> {
    return this.client().chunk(chunk.digest, chunk.size, signal);
  }
}
