/**
 * When each virtual device is due next: a binary min-heap of device indexes over typed arrays, so
 * 100,000 devices cost a few bytes each and one process timer drives them all.
 */
export class TimerHeap {
  private readonly heap: Int32Array;
  private readonly due: Float64Array;
  private size = 0;

  constructor(capacity: number) {
    this.heap = new Int32Array(capacity);
    this.due = new Float64Array(capacity);
  }

  get length(): number { return this.size; }

  /** The earliest due time, or Infinity when nothing is scheduled. */
  peekTime(): number {
    return this.size ? this.due[this.heap[0]!]! : Infinity;
  }

  /** Schedules `device` (not already scheduled) at `at`. */
  push(device: number, at: number): void {
    this.due[device] = at;
    let i = this.size++;
    this.heap[i] = device;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.due[this.heap[parent]!]! <= at) break;
      this.heap[i] = this.heap[parent]!;
      this.heap[parent] = device;
      i = parent;
    }
  }

  /** Removes and returns the earliest device. */
  pop(): number {
    const top = this.heap[0]!;
    const last = this.heap[--this.size]!;
    if (this.size > 0) {
      this.heap[0] = last;
      const at = this.due[last]!;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        let mAt = at;
        if (l < this.size && this.due[this.heap[l]!]! < mAt) { m = l; mAt = this.due[this.heap[l]!]!; }
        if (r < this.size && this.due[this.heap[r]!]! < mAt) m = r;
        if (m === i) break;
        this.heap[i] = this.heap[m]!;
        this.heap[m] = last;
        i = m;
      }
    }
    return top;
  }
}
