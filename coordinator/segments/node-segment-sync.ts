import type { Transaction } from 'sequelize';
import type { Database } from '../db/database.js';

/**
 * Keeps each node's `segmentIds` (what it pre-stages for) in step with the segments that list it:
 * nodes newly listed by `segmentId` gain it, nodes no longer listed lose it. Other ids a node carries stay.
 */
export async function syncNodeSegments(
  db: Database, segmentId: number, before: readonly number[], after: readonly number[], transaction: Transaction,
): Promise<void> {
  const touched = [...new Set([...before, ...after])];
  if (!touched.length) return;
  for (const node of await db.models.Node.findAll({ where: { id: touched }, transaction })) {
    const ids = new Set(JSON.parse(node.segmentIds) as number[]);
    if (after.includes(node.id)) ids.add(segmentId); else ids.delete(segmentId);
    const next = JSON.stringify([...ids].sort((a, b) => a - b));
    if (next !== node.segmentIds) await node.update({ segmentIds: next }, { transaction });
  }
}
