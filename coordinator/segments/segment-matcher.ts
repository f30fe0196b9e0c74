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
  /** Answers by address text: every check-in asks, and a matcher never changes (a new segment list builds a new one). */
  private readonly answers = new Map<string, number | null>();

  constructor(segments: readonly RangedSegment[]) {
    this.ordered = [...segments].sort(precedence);
  }

  /** The winning segment's id for an address text, or null when none holds it (or it is not an address). */
  match(address: string): number | null {
    let answer = this.answers.get(address);
    if (answer === undefined) {
      const ip = this.ordered.length ? parseIp(address) : null;
      answer = ip ? this.ordered.find((s) => rangeContains(s.range, ip))?.id ?? null : null;
      if (this.answers.size >= MAX_ANSWERS) this.answers.clear();
      this.answers.set(address, answer);
    }
    return answer;
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

/** Remembered answers per matcher (a fleet's worth of addresses; past that the memory starts over). */
const MAX_ANSWERS = 200_000;

function precedence(a: RangedSegment, b: RangedSegment): number {
  return cmp(a.range.end - a.range.start, b.range.end - b.range.start) || cmp(a.range.start, b.range.start) || a.id - b.id;
}

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
