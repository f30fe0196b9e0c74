import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, jitterBound, nextCheckinAt, pickPhase } from '../../agent/schedule.js';

describe('check-in schedule', () => {
  it('keeps each computer on its own phase, within the jitter bound, always in the future', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 2 ** 41 }), fc.integer({ min: 60, max: 86_400 }), fc.double({ min: 0, max: 0.999, noNaN: true }), fc.double({ min: 0, max: 0.999, noNaN: true }),
      (now, interval, phaseRandom, jitterRandom) => {
        const phase = pickPhase(interval, () => phaseRandom);
        expect(phase).toBeGreaterThanOrEqual(0);
        expect(phase).toBeLessThan(interval);
        const at = nextCheckinAt(now, interval, phase, () => jitterRandom);
        expect(at).toBeGreaterThanOrEqual(now + 1000);
        const intervalMs = interval * 1000;
        // Distance from the phase grid is at most the jitter bound.
        const offset = (((at - phase * 1000) % intervalMs) + intervalMs) % intervalMs;
        const distance = Math.min(offset, intervalMs - offset);
        expect(distance).toBeLessThanOrEqual(jitterBound(interval) * 1000 + 1000);
        expect(at - now).toBeLessThanOrEqual(intervalMs + 2 * jitterBound(interval) * 1000 + 1);
      },
    ));
  });

  it('checks in once per interval: a check-in jittered early does not take its own slot again', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 2 ** 41 }), fc.integer({ min: 60, max: 86_400 }), fc.double({ min: 0, max: 0.999, noNaN: true }),
      fc.array(fc.double({ min: 0, max: 0.999, noNaN: true }), { minLength: 20, maxLength: 20 }),
      (start, interval, phaseRandom, jitters) => {
        const phase = pickPhase(interval, () => phaseRandom);
        const intervalMs = interval * 1000;
        let at = nextCheckinAt(start, interval, phase, () => jitters[0]!);
        for (const j of jitters.slice(1)) {
          const next = nextCheckinAt(at, interval, phase, () => j);
          const gap = next - at;
          expect(gap).toBeGreaterThanOrEqual(intervalMs - 2 * jitterBound(interval) * 1000 - 1);
          expect(gap).toBeLessThanOrEqual(intervalMs + 2 * jitterBound(interval) * 1000 + 1);
          at = next;
        }
        // 20 check-ins span 19 intervals, give or take the jitter at both ends.
        const span = at - nextCheckinAt(start, interval, phase, () => jitters[0]!);
        expect(Math.round(span / intervalMs)).toBe(19);
      },
    ));
  });

  it('spreads a fleet over the interval', () => {
    const phases = Array.from({ length: 6000 }, () => pickPhase(1800));
    const buckets = new Array(6).fill(0);
    for (const p of phases) buckets[Math.floor(p / 300)]++;
    for (const b of buckets) expect(b).toBeGreaterThan(800);
  });

  it('backs off exponentially with full jitter, capped, never under Retry-After', () => {
    expect(backoffDelay(0, { baseMs: 1000 }, () => 0.999)).toBeLessThan(1000);
    expect(backoffDelay(3, { baseMs: 1000 }, () => 0.999)).toBeGreaterThan(7000);
    expect(backoffDelay(3, { baseMs: 1000 }, () => 0.999)).toBeLessThan(8000);
    expect(backoffDelay(40, { baseMs: 1000, capMs: 60_000 }, () => 0.999)).toBeLessThan(60_000);
    expect(backoffDelay(0, { baseMs: 1000, retryAfterSeconds: 90 }, () => 0)).toBe(90_000);
    expect(backoffDelay(5, { baseMs: 1000 }, () => 0)).toBe(0);
  });
});
