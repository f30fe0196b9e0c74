import { digestEquals, sha256, type Digest } from '../digest.js';
import type { ChunkBuffers } from './chunk-buffers.js';
import { ChunkDigestMismatchError } from './errors.js';

/** Chunk count and total bytes held by a store. */
export interface ChunkStoreStats {
  chunks: number;
  bytes: number;
}

/** Single-instance, content-addressed chunk storage: each chunk is kept once under its `sha256:` digest. */
export interface ChunkStore {
  /** Prepares the store (creates directories, removes leftovers of interrupted writes, counts chunks). */
  start(): Promise<void>;
  /** Waits for writes in flight. */
  stop(): Promise<void>;
  has(digest: Digest): Promise<boolean>;
  /**
   * The chunk's bytes, or undefined when the store does not hold it. With `buffers`, a store may land them in a
   * buffer from that pool, which the caller then releases.
   */
  get(digest: Digest, buffers?: ChunkBuffers): Promise<Uint8Array | undefined>;
  /** `length` bytes from `offset` (clipped at the chunk's end), or undefined when the store does not hold the chunk. */
  readRange(digest: Digest, offset: number, length: number): Promise<Uint8Array | undefined>;
  /** Stores `bytes` after checking they hash to `digest` (CHUNK_DIGEST_MISMATCH otherwise); false when already held. */
  put(digest: Digest, bytes: Uint8Array): Promise<boolean>;
  /** Removes a chunk; false when it was not held. */
  delete(digest: Digest): Promise<boolean>;
  list(): AsyncIterable<Digest>;
  stats(): Promise<ChunkStoreStats>;
}

/** Throws CHUNK_DIGEST_MISMATCH unless `bytes` hash to `digest`. */
export function verifyChunk(digest: Digest, bytes: Uint8Array): void {
  const actual = sha256(bytes);
  if (!digestEquals(actual, digest)) throw new ChunkDigestMismatchError(digest, actual);
}

/** Checks a byte range request against a chunk of `size` bytes; returns the clipped end offset. */
export function rangeEnd(size: number, offset: number, length: number): number {
  if (!(Number.isInteger(offset) && Number.isInteger(length) && offset >= 0 && length >= 0)) {
    throw new RangeError(`invalid chunk range offset=${offset} length=${length}`);
  }
  return Math.min(size, offset + length);
}
