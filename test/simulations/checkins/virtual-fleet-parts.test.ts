import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentiles } from '../../../simulations/checkins/checkin-metrics.js';
import { TimerHeap } from '../../../simulations/checkins/timer-heap.js';

describe('virtual fleet parts', () => {
  it('TimerHeap pops devices in due-time order, whatever the push order', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 300 }), (times) => {
      const heap = new TimerHeap(times.length);
      times.forEach((t, device) => heap.push(device, t));
      expect(heap.length).toBe(times.length);
      const popped: number[] = [];
      while (heap.length) {
        const at = heap.peekTime();
        const device = heap.pop();
        expect(times[device]).toBe(at);
        popped.push(device);
      }
      expect(heap.peekTime()).toBe(Infinity);
      expect(popped.map((d) => times[d]!)).toEqual([...times].sort((a, b) => a - b));
      expect(new Set(popped).size).toBe(times.length);
    }));
  });

  it('TimerHeap takes a device back after it was popped (the fleet reschedules each visit)', () => {
    const heap = new TimerHeap(3);
    heap.push(0, 30);
    heap.push(1, 10);
    heap.push(2, 20);
    expect(heap.pop()).toBe(1);
    heap.push(1, 25);
    expect([heap.pop(), heap.pop(), heap.pop()]).toEqual([2, 1, 0]);
  });

  it('percentiles are nearest-rank over the values', () => {
    const values = Array.from({ length: 200 }, (_, i) => 200 - i);
    expect(percentiles(values)).toEqual({ p50: 100, p95: 190, p99: 198, max: 200, count: 200 });
    expect(percentiles([7])).toEqual({ p50: 7, p95: 7, p99: 7, max: 7, count: 1 });
    expect(percentiles([])).toEqual({ p50: 0, p95: 0, p99: 0, max: 0, count: 0 });
  });
});
