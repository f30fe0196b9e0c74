import { literal } from 'sequelize';
import type { TrafficDelta } from '../../shared/schemas/nodes.js';
import type { Database } from '../db/database.js';

/** Node id under which the origin's own egress is counted. */
export const ORIGIN_NODE_ID = 0;

type Counts = Omit<TrafficDelta, 'packageId'>;

/**
 * Source-of-bytes accounting: per package and node, bytes from the origin, from peers and to agents.
 * Origin egress is counted per chunk in memory and written in batches; `list()` flushes first.
 */
export class TrafficLedger {
  private pending = new Map<string, Counts & { packageId: number; nodeId: number }>();

  constructor(private readonly db: Database, private readonly onCount?: (source: 'origin' | 'peers' | 'agents', bytes: number) => void) {}

  /** Adds bytes the origin sent for a package. */
  addOriginEgress(packageId: number, bytes: number): void {
    this.add(ORIGIN_NODE_ID, { packageId, fromOrigin: bytes, fromPeers: 0, toAgents: 0 });
  }

  /** Adds a node's reported deltas. */
  addNodeReport(nodeId: number, deltas: TrafficDelta[]): void {
    for (const d of deltas) this.add(nodeId, d);
  }

  /** Writes pending counts to the database. */
  async flush(): Promise<void> {
    const batch = [...this.pending.values()];
    this.pending = new Map();
    if (!batch.length) return;
    const { PackageTraffic } = this.db.models;
    await this.db.write(async (transaction) => {
      for (const b of batch) {
        const where = { packageId: b.packageId, nodeId: b.nodeId };
        const [updated] = await PackageTraffic.update({
          fromOrigin: literal(`from_origin + ${b.fromOrigin}`) as unknown as number,
          fromPeers: literal(`from_peers + ${b.fromPeers}`) as unknown as number,
          toAgents: literal(`to_agents + ${b.toAgents}`) as unknown as number,
        }, { where, transaction });
        if (!updated) await PackageTraffic.create({ ...where, fromOrigin: b.fromOrigin, fromPeers: b.fromPeers, toAgents: b.toAgents }, { transaction });
      }
    });
  }

  /** Per package: origin egress, bytes nodes got from peers, bytes nodes served to agents, and the split by node. */
  async list() {
    await this.flush();
    const rows = await this.db.models.PackageTraffic.findAll({ order: [['packageId', 'ASC'], ['nodeId', 'ASC']] });
    const byPackage = new Map<number, { packageId: number; originBytes: number; peerBytes: number; agentBytes: number; byNode: (Counts & { nodeId: number })[] }>();
    for (const r of rows) {
      const p = byPackage.get(r.packageId) ?? { packageId: r.packageId, originBytes: 0, peerBytes: 0, agentBytes: 0, byNode: [] };
      byPackage.set(r.packageId, p);
      if (r.nodeId === ORIGIN_NODE_ID) { p.originBytes += r.fromOrigin; continue; }
      p.peerBytes += r.fromPeers;
      p.agentBytes += r.toAgents;
      p.byNode.push({ nodeId: r.nodeId, fromOrigin: r.fromOrigin, fromPeers: r.fromPeers, toAgents: r.toAgents });
    }
    const items = [...byPackage.values()];
    return { items, total: items.length };
  }

  private add(nodeId: number, d: TrafficDelta): void {
    const key = `${d.packageId}:${nodeId}`;
    const p = this.pending.get(key) ?? { packageId: d.packageId, nodeId, fromOrigin: 0, fromPeers: 0, toAgents: 0 };
    p.fromOrigin += d.fromOrigin; p.fromPeers += d.fromPeers; p.toAgents += d.toAgents;
    this.pending.set(key, p);
    if (nodeId === ORIGIN_NODE_ID) this.onCount?.('origin', d.fromOrigin);
    else { this.onCount?.('peers', d.fromPeers); this.onCount?.('agents', d.toAgents); }
  }
}
