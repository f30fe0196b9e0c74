import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIpRange, rangeContains } from '../../../shared/net/ip-range.js';
import { parseIp } from '../../../shared/net/ip-address.js';
import { SegmentMatcher } from '../../../coordinator/segments/segment-matcher.js';

const seg = (id: number, text: string) => ({ id, range: parseIpRange(text) });

describe('SegmentMatcher', () => {
  it('picks the narrowest range, then the lowest start, across IPv4 and IPv6', () => {
    const m = new SegmentMatcher([
      seg(1, '10.0.0.0/8'), seg(2, '10.1.0.0/16'), seg(3, '10.1.2.0-10.1.2.255'), seg(4, '10.1.2.128/25'),
      seg(5, '10.1.2.100-10.1.2.227'), seg(6, '2001:db8::/32'), seg(7, '2001:db8:1::/48'),
    ]);
    expect(m.match('10.9.9.9')).toBe(1);
    expect(m.match('10.1.9.9')).toBe(2);
    expect(m.match('10.1.2.5')).toBe(3);
    expect(m.match('10.1.2.200')).toBe(5); // equal widths (128 addresses): the lower start wins
    expect(m.match('10.1.2.240')).toBe(4);
    expect(m.match('::ffff:10.1.2.5')).toBe(3);
    expect(m.match('2001:db8:1::9')).toBe(7);
    expect(m.match('2001:db8:2::9')).toBe(6);
    expect(m.match('192.168.0.1')).toBeNull();
    expect(m.match('not an address')).toBeNull();
  });

  it('equals a brute-force choice for any set of overlapping ranges', () => {
    const range = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })).map(([a, b]) => `10.0.0.${Math.min(a, b)}-10.0.0.${Math.max(a, b)}`);
    fc.assert(fc.property(fc.array(range, { maxLength: 12 }), fc.integer({ min: 0, max: 255 }), (ranges, host) => {
      const segments = ranges.map((r, i) => seg(i + 1, r));
      const ip = parseIp(`10.0.0.${host}`)!;
      const holders = segments.filter((s) => rangeContains(s.range, ip));
      const width = (s: typeof segments[number]) => s.range.end - s.range.start;
      const best = holders.reduce<typeof segments[number] | undefined>((b, s) => (!b || width(s) < width(b) || (width(s) === width(b) && s.range.start < b.range.start) ? s : b), undefined);
      expect(new SegmentMatcher(segments).match(`10.0.0.${host}`)).toBe(best?.id ?? null);
      expect(new SegmentMatcher([...segments].reverse()).match(`10.0.0.${host}`)).toBe(best?.id ?? null);
    }));
  });
});
