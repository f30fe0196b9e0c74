import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCoordinator, type TestCoordinator } from '../helpers/coordinator.js';
import { enrollDevice } from '../helpers/device.js';
import { joinNode } from '../helpers/node-join.js';

describe('segment chain and segment traffic views', () => {
  let t: TestCoordinator;
  beforeAll(async () => { t = await startTestCoordinator(); });
  afterAll(() => t?.stop());

  it('explains the ordered chain of a segment: its ranks, then neighbours, other nodes and the origin; offline nodes left out', async () => {
    const [p, f, n, o] = await Promise.all(['primary', 'failover', 'next-door', 'other'].map((name, i) => joinNode(t, name, `127.0.50.${i + 1}`)));
    const next = (await t.api('POST', '/api/v1/segments', { name: 'Next door', range: '10.2.0.0/16', nodeIds: [n!.id] })).body;
    const seg = (await t.api('POST', '/api/v1/segments', { name: 'Main', range: '10.1.0.0/16', nodeIds: [p!.id, f!.id], neighbourIds: [next.id] })).body;
    await t.api('POST', '/api/v1/segments', { name: 'Elsewhere', range: '10.3.0.0/16', nodeIds: [o!.id] });
    const chain = await t.api('GET', `/api/v1/segments/${seg.id}/chain`);
    expect(chain.status).toBe(200);
    expect(chain.body.segment).toEqual({ id: seg.id, name: 'Main' });
    expect(chain.body.chain.map((s: { nodeId: number | null; tier: string }) => [s.nodeId, s.tier]))
      .toEqual([[p!.id, 'segment'], [f!.id, 'segment'], [n!.id, 'neighbour'], [o!.id, 'other'], [null, 'origin']]);
    expect(chain.body.skipped).toEqual([]);

    await t.coordinator.db.models.Node.update({ lastHeartbeatAt: new Date(Date.now() - 3_600_000) }, { where: { id: p!.id } });
    const later = (await t.api('GET', `/api/v1/segments/${seg.id}/chain`)).body;
    expect(later.chain[0].nodeId).toBe(f!.id);
    expect(later.skipped).toEqual([{ nodeId: p!.id, reason: expect.stringContaining('offline') }]);
    expect((await t.api('GET', '/api/v1/segments/999/chain')).status).toBe(404);
  });

  it('lists bytes by source for every segment with its name', async () => {
    const local = (await t.api('POST', '/api/v1/segments', { name: 'Loopback', range: '127.0.0.0/16' })).body;
    const node = await joinNode(t, 'loopback-node', '127.0.60.1');
    await t.api('PUT', `/api/v1/segments/${local.id}`, { name: 'Loopback', range: '127.0.0.0/16', nodeIds: [node.id] });
    const d = await enrollDevice(t);
    const tls = { cert: d.cert, key: d.key };
    expect((await t.api('POST', `/device/v1/computers/${d.computerId}/checkins`, {}, { token: null, tls })).status).toBe(200);
    const report = { packageId: 1, sources: [{ nodeId: node.id, bytes: 900 }, { nodeId: null, bytes: 100 }] };
    expect((await t.api('POST', `/device/v1/computers/${d.computerId}/downloads`, report, { token: null, tls })).status).toBe(204);

    const list = await t.api('GET', '/api/v1/segment-traffic?perPage=100');
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(4);
    const mine = list.body.items.find((x: { segmentId: number }) => x.segmentId === local.id);
    expect(mine).toMatchObject({ name: 'Loopback', totalBytes: 1000, inSegmentBytes: 900, inSegmentShare: 0.9 });
    expect(list.body.items.filter((x: { totalBytes: number }) => x.totalBytes === 0).map((x: { name: string }) => x.name).sort())
      .toEqual(['Elsewhere', 'Main', 'Next door']);
  });
});
