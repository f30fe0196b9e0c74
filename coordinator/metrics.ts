import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The coordinator's Prometheus metrics, on a registry of its own (never the global one). */
export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Histogram({
    name: 'homing_http_request_duration_seconds', help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status'] as const, registers: [this.registry],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  });
  readonly checkins = new Counter({
    name: 'homing_checkins_total', help: 'Device check-ins by answer', labelNames: ['result'] as const, registers: [this.registry],
  });
  readonly dbQueries = new Histogram({
    name: 'homing_db_query_duration_seconds', help: 'Database query time', registers: [this.registry],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
  });
  readonly distributionBytes = new Counter({
    name: 'homing_distribution_bytes_total', help: 'Package bytes by source: origin egress, node-to-node, node-to-agent',
    labelNames: ['source'] as const, registers: [this.registry],
  });
  readonly shed = new Counter({ name: 'homing_requests_shed_total', help: 'Device requests refused with 503 under load', registers: [this.registry] });

  constructor() {
    // prom-client samples event-loop lag with a timer every 10 ms by default: 100 wake-ups a second were
    // ~0.5% of a core on an idle coordinator (most of its idle CPU). Every 50 ms costs ~0.1% and still
    // catches every stall of 50 ms or more; shorter ones are sampled in proportion to their length.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 50 });
  }
}
