import type { Clock } from '../../shared/clock.js';
import type { SegmentRow } from '../db/models/segments.js';
import type { ChainSegment } from './distribution-chain.js';
import { rangedSegment } from './segment-rows.js';
import { SegmentMatcher } from './segment-matcher.js';

/** Matcher and chain view of every segment at one moment, and whether reported addresses may place devices. */
export interface SegmentSnapshot { matcher: SegmentMatcher; segments: ChainSegment[]; useReportedAddresses: boolean }

const TTL_MS = 2000;

/**
 * Segments as check-ins need them, cached: rebuilt when this process changed them (`invalidate`) and at
 * least every 2 s, so a change made through another coordinator sharing the database lands within that.
 */
export class SegmentDirectory {
  private cached?: { at: number; value: Promise<SegmentSnapshot> };

  constructor(private readonly load: () => Promise<{ rows: SegmentRow[]; useReportedAddresses: boolean }>, private readonly clock: Clock) {}

  /** The current snapshot. */
  snapshot(): Promise<SegmentSnapshot> {
    const now = this.clock.now();
    if (!this.cached || now - this.cached.at > TTL_MS) {
      const value = this.load().then(({ rows, useReportedAddresses }) => {
        const segments = rows.map(rangedSegment);
        return { matcher: new SegmentMatcher(segments), segments: segments.map(({ range: _, ...chain }) => chain), useReportedAddresses };
      });
      const entry = { at: now, value };
      value.catch(() => { if (this.cached === entry) this.cached = undefined; });
      this.cached = entry;
    }
    return this.cached.value;
  }

  /** Drops the snapshot (this process changed segments). */
  invalidate(): void {
    this.cached = undefined;
  }
}
