import type { NodeStatus } from '../../shared/schemas/nodes.js';
import { NODE_CHUNK_PATH, ORIGIN_CHUNK_PATH, type DistributionSource, type SourceTier } from '../../shared/schemas/segment.js';

/** What the chain needs of a node (load already bucketed so small swings do not change bundles). */
export interface ChainNode { id: number; name: string; httpUrl: string | null; status: NodeStatus; loadBucket: number }
/** What the chain needs of a segment: node ranks (primary first) and neighbours in order. */
export interface ChainSegment { id: number; name: string; ranks: number[][]; neighbourIds: number[] }
/** Fleet-wide chain inputs; part of the bundle inputs, so their digest keys every cached bundle. */
export interface ChainInputs { segments: ChainSegment[]; nodes: ChainNode[]; originUrl: string }
/** A device's chain and the listed nodes left out of it, with why. */
export interface DistributionChain { sources: DistributionSource[]; skipped: { nodeId: number; reason: string }[] }

/** Buckets a node's load average (0: <1, 1: <3, 2: <7 …) so only real load changes reorder equal ranks. */
export function loadBucket(load: number): number {
  return Math.floor(Math.log2(1 + Math.max(0, load)));
}

/**
 * The ordered sources for a device in `segmentId`: the segment's healthy nodes rank by rank (load, then id,
 * orders nodes of one rank), then its neighbours' healthy nodes, then every other healthy node by load, then the origin.
 */
export function distributionChain(segmentId: number | null, inputs: ChainInputs): DistributionChain {
  const nodes = new Map(inputs.nodes.map((n) => [n.id, n]));
  const segments = new Map(inputs.segments.map((s) => [s.id, s]));
  const sources: DistributionSource[] = [];
  const skipped: DistributionChain['skipped'] = [];
  const seen = new Set<number>();
  const add = (ids: readonly number[], tier: SourceTier, why: (n: ChainNode) => string) => {
    const usable: ChainNode[] = [];
    for (const id of ids) {
      if (seen.has(id)) continue;
      seen.add(id);
      const node = nodes.get(id);
      const problem = !node ? 'is not a known node' : node.status !== 'healthy' ? `is ${node.status}` : !node.httpUrl ? 'has no HTTPS address yet' : undefined;
      if (problem) skipped.push({ nodeId: id, reason: `node ${id}${node ? ` (${node.name})` : ''} ${problem}` });
      else usable.push(node!);
    }
    usable.sort(byLoad);
    for (const n of usable) sources.push({ nodeId: n.id, tier, baseUrl: n.httpUrl!, chunkPath: NODE_CHUNK_PATH, reason: why(n) });
  };
  const own = segmentId === null ? undefined : segments.get(segmentId);
  if (own) {
    own.ranks.forEach((rank, i) => add(rank, 'segment', (n) => `${i === 0 ? 'primary' : `failover ${i}`} of segment "${own.name}"${rank.length > 1 ? ` (rank shared by ${rank.length}, load bucket ${n.loadBucket})` : ''}`));
    for (const nid of own.neighbourIds) {
      const neighbour = segments.get(nid);
      if (neighbour) add(neighbour.ranks.flat(), 'neighbour', () => `node of neighbour segment "${neighbour.name}"`);
    }
  }
  const rest = inputs.nodes.filter((n) => !seen.has(n.id) && n.status === 'healthy' && n.httpUrl).map((n) => n.id);
  add(rest, 'other', (n) => `healthy node outside ${own ? `segment "${own.name}" and its neighbours` : 'any segment'} (load bucket ${n.loadBucket})`);
  sources.push({ nodeId: null, tier: 'origin', baseUrl: inputs.originUrl, chunkPath: ORIGIN_CHUNK_PATH, reason: 'the origin (coordinator), last resort' });
  return { sources, skipped };
}

function byLoad(a: ChainNode, b: ChainNode): number {
  return a.loadBucket - b.loadBucket || a.id - b.id;
}
