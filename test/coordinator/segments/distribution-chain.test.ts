import { describe, expect, it } from 'vitest';
import { distributionChain, type ChainInputs, type ChainNode } from '../../../coordinator/segments/distribution-chain.js';

const node = (id: number, over: Partial<ChainNode> = {}): ChainNode => ({ id, name: `n${id}`, httpUrl: `https://127.0.0.1:${9000 + id}`, status: 'healthy', loadBucket: 0, ...over });
const inputs = (nodes: ChainNode[]): ChainInputs => ({
  nodes,
  originUrl: 'https://origin:8443',
  segments: [
    { id: 1, name: 'A', ranks: [[1], [2, 3], [4]], neighbourIds: [2] },
    { id: 2, name: 'B', ranks: [[5], [6]], neighbourIds: [] },
  ],
});
const ids = (c: ReturnType<typeof distributionChain>) => c.sources.map((s) => s.nodeId);

describe('distributionChain', () => {
  it('orders own ranks, then neighbours, then any healthy node, then the origin', () => {
    const chain = distributionChain(1, inputs([1, 2, 3, 4, 5, 6, 7].map((i) => node(i))));
    expect(ids(chain)).toEqual([1, 2, 3, 4, 5, 6, 7, null]);
    expect(chain.sources.map((s) => s.tier)).toEqual(['segment', 'segment', 'segment', 'segment', 'neighbour', 'neighbour', 'other', 'origin']);
    expect(chain.sources[0]!.reason).toContain('primary of segment "A"');
    expect(chain.sources[7]).toMatchObject({ baseUrl: 'https://origin:8443', chunkPath: '/device/v1/chunks/' });
  });

  it('lets load reorder only nodes of one rank', () => {
    const chain = distributionChain(1, inputs([node(1, { loadBucket: 5 }), node(2, { loadBucket: 3 }), node(3), node(4), node(5), node(6)]));
    expect(ids(chain)).toEqual([1, 3, 2, 4, 5, 6, null]);
  });

  it('leaves out unhealthy, offline and address-less nodes, saying why', () => {
    const chain = distributionChain(1, inputs([node(1, { status: 'offline' }), node(2, { status: 'unhealthy' }), node(3, { httpUrl: null }), node(4), node(5), node(6, { status: 'pending' })]));
    expect(ids(chain)).toEqual([4, 5, null]);
    expect(chain.skipped.map((s) => s.reason)).toEqual([
      'node 1 (n1) is offline', 'node 2 (n2) is unhealthy', 'node 3 (n3) has no HTTPS address yet', 'node 6 (n6) is pending',
    ]);
  });

  it('goes to the next level when all of a segment\'s nodes are down, and to the origin when all are', () => {
    const down = (i: number) => node(i, { status: 'offline' });
    expect(ids(distributionChain(1, inputs([down(1), down(2), down(3), down(4), node(5), node(6)])))).toEqual([5, 6, null]);
    expect(ids(distributionChain(1, inputs([1, 2, 3, 4, 5, 6].map(down))))).toEqual([null]);
  });

  it('gives a device outside every segment the healthy nodes by load, then the origin', () => {
    expect(ids(distributionChain(null, inputs([node(1, { loadBucket: 2 }), node(2), node(3, { status: 'offline' })])))).toEqual([2, 1, null]);
  });
});
