import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** How far an event loop's timers fired late: the 99th percentile and the longest, in ms. */
export interface LoopDelay { p99Ms: number; maxMs: number }

/**
 * The simulator's own event-loop delay over the measured load: while its loop is held up (thousands of
 * agents' timers, TLS contexts, bundle checks), answers that have arrived wait, and their latency grows
 * by the delay. Node's histogram records each sample's whole interval, so its minimum (the interval
 * itself) is taken off.
 */
export class LoopDelayMonitor {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });

  start(): void { this.histogram.reset(); this.histogram.enable(); }

  stop(): LoopDelay {
    this.histogram.disable();
    const ms = (ns: number) => Math.max(0, ns - this.histogram.min) / 1e6;
    return { p99Ms: ms(this.histogram.percentile(99)), maxMs: ms(this.histogram.max) };
  }
}

/**
 * The coordinator's event-loop delay from its Prometheus text (prom-client's `nodejs_eventloop_lag_*`
 * gauges, net of their minimum, the sampling interval). prom-client restarts the histogram at each
 * scrape, so a scrape when the load starts and one when it ends cover the load. Undefined when the
 * gauges are missing.
 */
export function coordinatorLoopDelay(metricsText: string): LoopDelay | undefined {
  const gauge = (name: string) => {
    const match = new RegExp(`^nodejs_eventloop_lag_${name}_seconds(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(metricsText);
    return match ? Number(match[1]) * 1000 : undefined;
  };
  const [min, p99, max] = [gauge('min'), gauge('p99'), gauge('max')];
  if (min === undefined || p99 === undefined || max === undefined) return undefined;
  return { p99Ms: Math.max(0, p99 - min), maxMs: Math.max(0, max - min) };
}
