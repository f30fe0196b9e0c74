import type { TrafficDelta } from '../shared/schemas/nodes.js';

/** Bytes moved per package since the last heartbeat (from the origin, from peers, to agents), plus a running total served. */
export class TrafficCounters {
  private pending = new Map<number, TrafficDelta>();
  private served = 0;

  add(packageId: number, field: 'fromOrigin' | 'fromPeers' | 'toAgents', bytes: number): void {
    const d = this.pending.get(packageId) ?? { packageId, fromOrigin: 0, fromPeers: 0, toAgents: 0 };
    d[field] += bytes;
    this.pending.set(packageId, d);
    if (field === 'toAgents') this.served += bytes;
  }

  /** Takes the deltas for a heartbeat; `restore` puts them back when the heartbeat fails. */
  take(): TrafficDelta[] {
    const out = [...this.pending.values()];
    this.pending = new Map();
    return out;
  }

  restore(deltas: TrafficDelta[]): void {
    for (const d of deltas) {
      for (const field of ['fromOrigin', 'fromPeers', 'toAgents'] as const) {
        if (d[field]) this.add(d.packageId, field, d[field]);
      }
      this.served -= d.toAgents;
    }
  }

  /** Bytes served to agents since start. */
  bytesServed(): number {
    return this.served;
  }
}
