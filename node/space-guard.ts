import { statfs } from 'node:fs/promises';
import type { ChunkStore } from '../shared/content/chunk-store.js';
import type { Digest } from '../shared/digest.js';

/** Disk limits of a node: a quota on chunk bytes and a floor of free space on the data dir's filesystem. */
export interface SpaceLimits { dataDir: string; quotaBytes: number; minFreeBytes: number }

/** Refuses chunks that would break the quota or the free-space floor, and deletes chunks no longer desired. */
export class SpaceGuard {
  private problem: string | undefined;
  /** Bytes of chunks being fetched, counted against the limits before they land. */
  private reserved = 0;

  constructor(private readonly store: ChunkStore, private readonly limits: SpaceLimits) {}

  /** Free bytes on the data dir's filesystem. */
  async freeBytes(): Promise<number> {
    const s = await statfs(this.limits.dataDir);
    return s.bavail * s.bsize;
  }

  /**
   * Reserves room for a chunk of `size` bytes about to be fetched; returns the release function, or
   * undefined (recording why, reported as a health problem) when it would break a limit.
   */
  async reserve(size: number): Promise<(() => void) | undefined> {
    const { bytes } = await this.store.stats();
    if (this.limits.quotaBytes > 0 && bytes + this.reserved + size > this.limits.quotaBytes) {
      this.problem = `disk quota of ${this.limits.quotaBytes} bytes reached`;
      return undefined;
    }
    if ((await this.freeBytes()) - this.reserved - size < this.limits.minFreeBytes) {
      this.problem = `low disk space: less than ${this.limits.minFreeBytes} bytes would stay free`;
      return undefined;
    }
    this.problem = undefined;
    this.reserved += size;
    let released = false;
    return () => { if (!released) { released = true; this.reserved -= size; } };
  }

  /** Why the node cannot store more right now, if it cannot. */
  problems(): string[] {
    return this.problem ? [this.problem] : [];
  }

  /** Deletes every stored chunk not in `keep`; returns how many it deleted. */
  async collect(keep: Set<Digest>): Promise<number> {
    const drop: Digest[] = [];
    for await (const digest of this.store.list()) if (!keep.has(digest)) drop.push(digest);
    for (const digest of drop) await this.store.delete(digest);
    if (drop.length) this.problem = undefined;
    return drop.length;
  }
}
