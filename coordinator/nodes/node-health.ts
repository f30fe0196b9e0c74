import type { NodeHealth, NodeStatus } from '../../shared/schemas/nodes.js';
import type { NodeRow } from '../db/models/nodes.js';

/** Missed heartbeats before a node counts as unhealthy, and as offline. */
export const UNHEALTHY_AFTER_MISSED = 3;
export const OFFLINE_AFTER_MISSED = 10;

/** A node's state from its row, its last heartbeat's age and the problems it reported. */
export function nodeStatus(row: Pick<NodeRow, 'status' | 'lastHeartbeatAt' | 'health'>, now: number, heartbeatSeconds: number): NodeStatus {
  if (row.status === 'revoked') return 'revoked';
  if (row.status === 'pending' || !row.lastHeartbeatAt) return 'pending';
  const missed = (now - row.lastHeartbeatAt.getTime()) / (heartbeatSeconds * 1000);
  if (missed > OFFLINE_AFTER_MISSED) return 'offline';
  const problems = row.health ? (JSON.parse(row.health) as NodeHealth).problems : [];
  return missed > UNHEALTHY_AFTER_MISSED || problems.length ? 'unhealthy' : 'healthy';
}

/** True when the node may take part in the mesh (joined, not revoked, not offline). */
export function isLive(status: NodeStatus): boolean {
  return status === 'healthy' || status === 'unhealthy';
}
