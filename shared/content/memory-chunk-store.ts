import type { Digest } from '../digest.js';
import { rangeEnd, verifyChunk, type ChunkStore, type ChunkStoreStats } from './chunk-store.js';

/** In-memory ChunkStore for tests and simulations. */
export class MemoryChunkStore implements ChunkStore {
  private readonly chunks = new Map<Digest, Uint8Array>();
  private bytes = 0;

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  async has(digest: Digest): Promise<boolean> {
    return this.chunks.has(digest);
  }

  async get(digest: Digest): Promise<Uint8Array | undefined> {
    const data = this.chunks.get(digest);
    return data && data.slice();
  }

  async readRange(digest: Digest, offset: number, length: number): Promise<Uint8Array | undefined> {
    const data = this.chunks.get(digest);
    return data && data.slice(Math.min(offset, data.length), rangeEnd(data.length, offset, length));
  }

  async put(digest: Digest, bytes: Uint8Array): Promise<boolean> {
    verifyChunk(digest, bytes);
    if (this.chunks.has(digest)) return false;
    this.chunks.set(digest, bytes.slice());
    this.bytes += bytes.length;
    return true;
  }

  async delete(digest: Digest): Promise<boolean> {
    const data = this.chunks.get(digest);
    if (!data) return false;
    this.chunks.delete(digest);
    this.bytes -= data.length;
    return true;
  }

  async *list(): AsyncIterable<Digest> {
    yield* [...this.chunks.keys()];
  }

  async stats(): Promise<ChunkStoreStats> {
    return { chunks: this.chunks.size, bytes: this.bytes };
  }
}
