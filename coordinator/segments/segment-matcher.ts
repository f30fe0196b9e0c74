import { parseIp } from '../../shared/net/ip-address.js';
import { rangeContains, type IpRange } from '../../shared/net/ip-range.js';

/** What matching needs of a segment. */
export interface RangedSegment { id: number; range: IpRange }

/**
 * Picks a device's segment from its address: of the segments whose range holds it, the narrowest wins,
 * then the lowest start address, then the lowest id (so the answer never depends on list order).
 */
export class SegmentMatcher {
  private readonly ordered: RangedSegment[];

  constructor(segments: readonly RangedSegment[]) {
    this.ordered = [...segments].sort(precedence);
  }

  /** The winning segment's id for an address text, or null when none holds it (or it is not an address). */
  match(address: string): number | null {
    const ip = parseIp(address);
    if (!ip) return null;
    return this.ordered.find((s) => rangeContains(s.range, ip))?.id ?? null;
  }

  /** The first segment any of the addresses falls in, trying them in order. */
  matchAny(addresses: readonly string[]): number | null {
    for (const a of addresses) {
      const id = this.match(a);
      if (id !== null) return id;
    }
    return null;
  }
}

function precedence(a: RangedSegment, b: RangedSegment): number {
  return cmp(a.range.end - a.range.start, b.range.end - b.range.start) || cmp(a.range.start, b.range.start) || a.id - b.id;
}

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
