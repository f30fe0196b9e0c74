const MINUTE_MS = 60_000;

/** Counts events per wall-clock minute over a bounded window, in a fixed-size ring (no storage, O(1) per event). */
export class MinuteCounter {
  private readonly counts: Float64Array;
  private readonly minutes: Float64Array;

  constructor(readonly windowMinutes = 24 * 60) {
    this.counts = new Float64Array(windowMinutes);
    this.minutes = new Float64Array(windowMinutes).fill(-1);
  }

  /** Notes `n` events at `atMs`. */
  add(atMs: number, n = 1): void {
    const minute = Math.floor(atMs / MINUTE_MS);
    const slot = minute % this.windowMinutes;
    if (this.minutes[slot] !== minute) { this.minutes[slot] = minute; this.counts[slot] = 0; }
    this.counts[slot]! += n;
  }

  /** Per-minute counts for the `minutes` whole minutes ending with the one containing `nowMs`, oldest first. */
  series(nowMs: number, minutes: number): { startMs: number; counts: number[] } {
    const last = Math.floor(nowMs / MINUTE_MS);
    const span = Math.min(minutes, this.windowMinutes);
    const counts: number[] = [];
    for (let m = last - span + 1; m <= last; m++) {
      const slot = m % this.windowMinutes;
      counts.push(this.minutes[slot] === m ? this.counts[slot]! : 0);
    }
    return { startMs: (last - span + 1) * MINUTE_MS, counts };
  }
}
