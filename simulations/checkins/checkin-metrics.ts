/** What happened to one device request. */
export type RequestOutcome = 'ok' | 'modified' | 'shed' | 'error';

/** One second of the run. */
interface Second {
  checkins: number;
  modified: number;
  results: number;
  shed: number;
  errors: number;
  latencies: number[];
}

/** Percentiles of a list of latencies (ms). */
export interface Percentiles { p50: number; p95: number; p99: number; max: number; count: number }

/** Nearest-rank percentiles of `values` (sorted in place). */
export function percentiles(values: number[] | Float64Array): Percentiles {
  const sorted = values instanceof Float64Array ? values.sort() : Float64Array.from(values).sort();
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0);
  return { p50: at(50), p95: at(95), p99: at(99), max: sorted.length ? sorted[sorted.length - 1]! : 0, count: sorted.length };
}

/** A time series point for the report. */
export interface SecondSummary { t: number; checkins: number; modified: number; results: number; shed: number; errors: number; p50: number | null; p95: number | null; p99: number | null }

/** A growing list of latencies (ms), 8 bytes each. */
class LatencyList {
  private values = new Float64Array(1 << 16);
  private count = 0;

  add(ms: number): void {
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = ms;
  }

  clear(): void { this.count = 0; }

  percentiles(): Percentiles { return percentiles(this.values.slice(0, this.count)); }
}

/**
 * Counts and latencies of device requests per wall-clock second since `start()`, plus every
 * latency of the run for the overall percentiles, the TLS handshake part of those that opened a
 * connection, and error messages by count.
 */
export class CheckinMetrics {
  private readonly seconds: Second[] = [];
  private readonly all = new LatencyList();
  private readonly handshakes = new LatencyList();
  private t0 = performance.now();
  readonly errorMessages = new Map<string, number>();
  totals = { checkins: 0, modified: 0, results: 0, shed: 0, errors: 0, resumed: 0, connections: 0 };
  /** Timer visits started, those started over a second (wall clock) after they were due, and the longest delay (ms). */
  starts = { visits: 0, lateOverSecond: 0, maxLateMs: 0 };

  /** Forgets everything recorded and restarts the clock (seconds count from here). */
  reset(): void {
    this.seconds.length = 0;
    this.all.clear();
    this.handshakes.clear();
    this.errorMessages.clear();
    this.totals = { checkins: 0, modified: 0, results: 0, shed: 0, errors: 0, resumed: 0, connections: 0 };
    this.starts = { visits: 0, lateOverSecond: 0, maxLateMs: 0 };
    this.t0 = performance.now();
  }

  /** Seconds since `start()`. */
  elapsed(): number { return (performance.now() - this.t0) / 1000; }

  private second(): Second {
    const i = Math.max(0, Math.floor(this.elapsed()));
    while (this.seconds.length <= i) this.seconds.push({ checkins: 0, modified: 0, results: 0, shed: 0, errors: 0, latencies: [] });
    return this.seconds[i]!;
  }

  /** An answered request: its latency counts, whatever the answer; `handshakeMs` is the part until TLS was up, when it opened the connection. */
  answered(kind: 'checkin' | 'results', outcome: RequestOutcome, ms: number, handshakeMs?: number): void {
    const s = this.second();
    s.latencies.push(ms);
    this.all.add(ms);
    if (handshakeMs !== undefined) this.handshakes.add(handshakeMs);
    if (outcome === 'shed') { s.shed++; this.totals.shed++; return; }
    if (outcome === 'error') return;
    if (kind === 'results') { s.results++; this.totals.results++; return; }
    s.checkins++;
    this.totals.checkins++;
    if (outcome === 'modified') { s.modified++; this.totals.modified++; }
  }

  /** A failed request (error answer, network error, timeout, bad answer). */
  failed(message: string): void {
    this.second().errors++;
    this.totals.errors++;
    const key = message.replace(/\d+/g, 'N').slice(0, 200);
    this.errorMessages.set(key, (this.errorMessages.get(key) ?? 0) + 1);
  }

  /** A timer visit began `lateMs` (wall clock) after its device was due: the simulator's own lag. */
  started(lateMs: number): void {
    this.starts.visits++;
    if (lateMs > 1000) this.starts.lateOverSecond++;
    if (lateMs > this.starts.maxLateMs) this.starts.maxLateMs = lateMs;
  }

  /** A new TLS connection, resumed or not. */
  connected(resumed: boolean): void {
    this.totals.connections++;
    if (resumed) this.totals.resumed++;
  }

  /** Latency percentiles over every answered request so far. */
  overall(): Percentiles {
    return this.all.percentiles();
  }

  /** Percentiles of the time from a connection's first request until its TLS handshake finished. */
  handshake(): Percentiles {
    return this.handshakes.percentiles();
  }

  /** Percentiles over requests answered in seconds [from, to). */
  window(from: number, to: number): Percentiles {
    return percentiles(this.seconds.slice(Math.max(0, Math.floor(from)), Math.ceil(to)).flatMap((s) => s.latencies));
  }

  /** The per-second series. */
  series(): SecondSummary[] {
    return this.seconds.map((s, t) => {
      const p = s.latencies.length ? percentiles(s.latencies) : undefined;
      return { t, checkins: s.checkins, modified: s.modified, results: s.results, shed: s.shed, errors: s.errors, p50: p?.p50 ?? null, p95: p?.p95 ?? null, p99: p?.p99 ?? null };
    });
  }
}
