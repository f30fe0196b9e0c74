import { describe, expect, it } from 'vitest';
import type { Digest } from '../../shared/digest.js';
import { originAssignee, pickRequests } from '../../node/chunk-picker.js';
import { parseRange } from '../../node/byte-range.js';

const d = (n: number) => `sha256:${n.toString(16).padStart(8, '0').repeat(8)}` as Digest;

describe('pickRequests', () => {
  const base = { perPeerInFlight: 2, originInFlight: 2, inFlight: () => 0, origin: 'O', mayUseOrigin: () => true, random: () => 0.5 };

  it('requests the rarest chunks first and spreads them over the least-loaded sources', () => {
    const sources = new Map([[d(1), ['A', 'B', 'C']], [d(2), ['A']], [d(3), ['A', 'B']]]);
    const picks = pickRequests({ ...base, missing: [d(1), d(2), d(3)], sources });
    expect(picks.map((p) => [p.digest, p.peerId])).toEqual([[d(2), 'A'], [d(3), 'B'], [d(1), 'C']]);
  });

  it('bounds requests in flight per peer', () => {
    const sources = new Map<Digest, string[]>([1, 2, 3, 4].map((n) => [d(n), ['A']]));
    expect(pickRequests({ ...base, missing: [d(1), d(2), d(3), d(4)], sources })).toHaveLength(2);
    expect(pickRequests({ ...base, missing: [d(1), d(2)], sources, inFlight: (p) => (p === 'A' ? 2 : 0) })).toEqual([]);
  });

  it('takes chunks no peer holds from the origin last, and only when allowed', () => {
    const sources = new Map([[d(1), ['A']]]);
    const picks = pickRequests({ ...base, missing: [d(2), d(1), d(3)], sources, mayUseOrigin: (x) => x !== d(3) });
    expect(picks).toEqual([{ digest: d(1), peerId: 'A', origin: false }, { digest: d(2), peerId: 'O', origin: true }]);
    expect(pickRequests({ ...base, origin: undefined, missing: [d(2)], sources })).toEqual([]);
  });

  it('bounds requests in flight to the origin on their own', () => {
    const missing = [d(1), d(2), d(3)];
    expect(pickRequests({ ...base, originInFlight: 1, missing, sources: new Map() }).map((p) => p.peerId)).toEqual(['O']);
    expect(pickRequests({ ...base, originInFlight: 1, missing, sources: new Map(), inFlight: (p) => (p === 'O' ? 1 : 0) })).toEqual([]);
  });
});

describe('originAssignee', () => {
  it('assigns each chunk to one holder, the same whatever order holders are listed in', () => {
    const holders = ['N1', 'N2', 'N3'];
    const counts = new Map<string, number>();
    for (let n = 0; n < 300; n++) {
      const a = originAssignee(d(n * 7919), holders)!;
      expect(originAssignee(d(n * 7919), [...holders].reverse())).toBe(a);
      counts.set(a, (counts.get(a) ?? 0) + 1);
    }
    expect([...counts.values()].every((c) => c > 50)).toBe(true);
  });

  it('moves only the chunks of a holder that leaves the list, spread over the others', () => {
    const holders = ['N1', 'N2', 'N3', 'N4'];
    const heirs = new Set<string>();
    for (let n = 0; n < 300; n++) {
      const digest = d(n * 104729);
      const before = originAssignee(digest, holders)!;
      const after = originAssignee(digest, holders.filter((h) => h !== 'N3'))!;
      if (before === 'N3') heirs.add(after);
      else expect(after).toBe(before);
    }
    expect([...heirs].sort()).toEqual(['N1', 'N2', 'N4']);
  });
});

describe('parseRange', () => {
  it('parses single ranges and reports unsatisfiable ones', () => {
    expect(parseRange(undefined, 100)).toBeUndefined();
    expect(parseRange('bytes=10-19', 100)).toEqual({ start: 10, end: 19 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-5', 100)).toEqual({ start: 95, end: 99 });
    expect(parseRange('bytes=50-500', 100)).toEqual({ start: 50, end: 99 });
    expect(parseRange('bytes=100-', 100)).toBeNull();
    expect(parseRange('bytes=0-1,5-6', 100)).toBeUndefined();
  });
});
