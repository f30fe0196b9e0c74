import type { BigIntStats } from 'node:fs';
import type { Digest } from '../digest.js';

/** How many verified chunk files a store remembers by default (about 10 MiB of marks; the rest are hashed per read). */
export const DEFAULT_VERIFIED_MARKS = 65_536;
/** A file changed less than this long ago is hashed on every read (its timestamps may not yet tell a later write apart). */
export const DEFAULT_SETTLE_MS = 2000;

/** What the marks need: how many to keep, the settle time and the wall clock (file timestamps are wall-clock). */
export interface VerifiedMarksOptions { max?: number; settleMs?: number; now?: () => number }

/**
 * Chunk files this process has hashed and found intact, each tied to the file's identity (device, inode, size,
 * mtime and ctime in nanoseconds), so a later read of the same unchanged file need not hash it again. Any write or
 * replacement through the filesystem gives the file a new ctime (which no caller can set back) or a new inode, so
 * it no longer matches and is hashed again. A file is only marked once its ctime is `settleMs` old: a write in the
 * same timestamp tick as the last one could otherwise leave identical timestamps (git's "racy clean" problem).
 * Damage below the filesystem (bit rot) is not seen after the first read; receivers verify every chunk anyway.
 */
export class VerifiedMarks {
  private readonly marks = new Map<Digest, string>();
  private readonly max: number;
  private readonly settleNs: bigint;
  private readonly now: () => number;

  constructor(opts: VerifiedMarksOptions = {}) {
    this.max = opts.max ?? DEFAULT_VERIFIED_MARKS;
    this.settleNs = BigInt(opts.settleMs ?? DEFAULT_SETTLE_MS) * 1_000_000n;
    this.now = opts.now ?? Date.now;
  }

  /** True when this exact file (same identity) was hashed and found intact. */
  holds(digest: Digest, st: BigIntStats): boolean {
    return this.marks.get(digest) === identity(st);
  }

  /** Remembers a file just hashed and found intact, once it is old enough; the oldest mark goes past `max`. */
  mark(digest: Digest, st: BigIntStats): void {
    if (this.max <= 0 || st.ctimeNs > BigInt(this.now()) * 1_000_000n - this.settleNs) return;
    this.marks.delete(digest);
    this.marks.set(digest, identity(st));
    if (this.marks.size > this.max) this.marks.delete(this.marks.keys().next().value!);
  }

  forget(digest: Digest): void {
    this.marks.delete(digest);
  }
}

function identity(st: BigIntStats): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
}
