import type { BigIntStats } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VerifiedMarks } from '../../../shared/content/verified-marks.js';
import { sha256 } from '../../../shared/digest.js';

const MS = 1_000_000n;
const file = (over: Partial<Record<'dev' | 'ino' | 'size' | 'mtimeNs' | 'ctimeNs', bigint>> = {}) =>
  ({ dev: 1n, ino: 2n, size: 6n, mtimeNs: 1000n * MS, ctimeNs: 1000n * MS, ...over }) as BigIntStats;

describe('VerifiedMarks', () => {
  const a = sha256('a');
  const b = sha256('b');

  it('holds a settled file until any part of its identity changes, or it is forgotten', () => {
    const marks = new VerifiedMarks({ settleMs: 100, now: () => 1200 });
    marks.mark(a, file());
    expect(marks.holds(a, file())).toBe(true);
    expect(marks.holds(b, file())).toBe(false);
    for (const changed of [{ dev: 9n }, { ino: 9n }, { size: 7n }, { mtimeNs: 1000n * MS + 1n }, { ctimeNs: 1000n * MS + 1n }]) {
      expect(marks.holds(a, file(changed))).toBe(false);
    }
    marks.forget(a);
    expect(marks.holds(a, file())).toBe(false);
  });

  it('does not mark a file that changed within the settle time', () => {
    let now = 1050;
    const marks = new VerifiedMarks({ settleMs: 100, now: () => now });
    marks.mark(a, file());
    expect(marks.holds(a, file())).toBe(false);
    now = 1100;
    marks.mark(a, file());
    expect(marks.holds(a, file())).toBe(true);
  });

  it('keeps at most max marks, dropping the oldest', () => {
    const marks = new VerifiedMarks({ max: 2, settleMs: 0, now: () => 5000 });
    const c = sha256('c');
    marks.mark(a, file());
    marks.mark(b, file());
    marks.mark(c, file());
    expect([a, b, c].map((d) => marks.holds(d, file()))).toEqual([false, true, true]);
    expect(new VerifiedMarks({ max: 0, settleMs: 0, now: () => 5000 }).holds(a, file())).toBe(false);
  });
});
