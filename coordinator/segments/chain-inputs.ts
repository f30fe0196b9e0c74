import type { NodeHealth } from '../../shared/schemas/nodes.js';
import type { Database } from '../db/database.js';
import { nodeStatus } from '../nodes/node-health.js';
import { loadBucket, type ChainInputs } from './distribution-chain.js';
import type { SegmentDirectory } from './segment-directory.js';

/** Loads what every device's chain is built from: segments, each non-revoked node's state and bucketed load, the origin. */
export async function loadChainInputs(
  db: Database, directory: SegmentDirectory, now: number, heartbeatSeconds: number, originUrl: string,
): Promise<ChainInputs> {
  const [{ segments }, rows] = await Promise.all([
    directory.snapshot(),
    db.models.Node.findAll({ where: { status: ['pending', 'active'] }, order: [['id', 'ASC']] }),
  ]);
  const nodes = rows.map((r) => ({
    id: r.id, name: r.name, httpUrl: r.httpUrl, status: nodeStatus(r, now, heartbeatSeconds),
    loadBucket: loadBucket(r.health ? (JSON.parse(r.health) as NodeHealth).load : 0),
  }));
  return { segments, nodes, originUrl };
}
