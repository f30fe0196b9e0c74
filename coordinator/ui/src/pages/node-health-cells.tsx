import type { NodeView } from '../api/types.js';
import { formatBytes } from '../components/format.js';

/** Free disk of a node, or a dash before its first heartbeat. */
export const freeSpace = (n: NodeView) => (n.health ? formatBytes(n.health.freeBytes) : '—');

/** What a node stores: bytes and chunk count, or a dash before its first heartbeat. */
export const storedContent = (n: NodeView) => (n.health ? `${formatBytes(n.health.storedBytes)} in ${n.health.chunks.toLocaleString()} chunks` : '—');

/** A node's reported problems as text, or a dash. */
export const problems = (n: NodeView) => (n.health?.problems.length ? n.health.problems.join('; ') : '—');
