import type { Digest } from '../../shared/digest.js';

/** Chunks that uploads in flight rely on, so a failed upload never removes a chunk another upload found already stored. */
export class ChunkPins {
  private readonly counts = new Map<Digest, number>();

  pin(digest: Digest): void {
    this.counts.set(digest, (this.counts.get(digest) ?? 0) + 1);
  }

  unpin(digest: Digest): void {
    const n = (this.counts.get(digest) ?? 0) - 1;
    if (n > 0) this.counts.set(digest, n);
    else this.counts.delete(digest);
  }

  isPinned(digest: Digest): boolean {
    return this.counts.has(digest);
  }
}
