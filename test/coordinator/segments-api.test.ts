import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoordinatorClient } from '../../agent/coordinator-client.js';
import { startTestCoordinator, type TestCoordinator } from '../helpers/coordinator.js';
import { enrollDevice, type TestDevice } from '../helpers/device.js';

let t: TestCoordinator;
const nodes: number[] = [];

// A node that joined and heartbeats now, without a real node process (the chain only reads these columns).
async function healthyNode(name: string, port: number): Promise<number> {
  const created = await t.api('POST', '/api/v1/nodes', { name });
  await t.coordinator.db.models.Node.update({
    status: 'active', tokenHash: null, peerId: `peer-${name}`, httpUrl: `https://127.0.0.1:${port}`, lastHeartbeatAt: new Date(),
    health: JSON.stringify({ freeBytes: 1, storedBytes: 0, chunks: 0, load: 0, connections: 0, peers: 0, bytesServed: 0, problems: [] }),
  }, { where: { id: created.body.id } });
  return created.body.id;
}

async function checkinFrom(device: TestDevice, localAddress: string) {
  const client = new CoordinatorClient([t.url], { ca: t.caPem, cert: device.cert, key: device.key }, { localAddress });
  try {
    const answer = await client.checkin(device.computerId, 'checkin', undefined);
    if (answer.status !== 'modified') throw new Error('expected a bundle');
    return answer.bundle;
  } finally { await client.close(); }
}

beforeAll(async () => {
  t = await startTestCoordinator();
  for (let i = 1; i <= 6; i++) nodes.push(await healthyNode(`n${i}`, 9000 + i));
});
afterAll(async () => { await t?.stop(); });

describe('segments API', () => {
  it('refuses malformed, reversed and mixed ranges, unknown nodes and neighbours, duplicate nodes', async () => {
    const bad = [
      { name: 'x', range: '10.0.0.1/33' }, { name: 'x', range: '10.0.0.9-10.0.0.1' }, { name: 'x', range: '10.0.0.1-::1' },
      { name: 'x', range: 'nonsense' }, { name: 'x', range: '10.0.0.0/8', nodeIds: [nodes[0], nodes[0]] },
    ];
    for (const body of bad) expect((await t.api('POST', '/api/v1/segments', body)).status, JSON.stringify(body)).toBe(400);
    const unknownNode = await t.api('POST', '/api/v1/segments', { name: 'x', range: '10.0.0.0/8', nodeIds: [999] });
    expect(unknownNode.status).toBe(400);
    expect(unknownNode.body.error.message).toContain('999');
    expect((await t.api('POST', '/api/v1/segments', { name: 'x', range: '10.0.0.0/8', neighbourIds: [999] })).status).toBe(400);
  });

  it('gives agents bound to each building\'s addresses their own chain, and explains it', async () => {
    const [a1, a2, b1, b2, c1, c2] = nodes as [number, number, number, number, number, number];
    const a = await t.api('POST', '/api/v1/segments', { name: 'A', range: '127.1.0.0/16', nodeIds: [a1, a2] });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ range: '127.1.0.0/16', start: '127.1.0.0', end: '127.1.255.255', family: 4 });
    const b = await t.api('POST', '/api/v1/segments', { name: 'B', range: '127.2.0.0-127.2.255.255', nodeIds: [b1, b2], neighbourIds: [a.body.id] });
    const c = await t.api('POST', '/api/v1/segments', { name: 'C', range: '127.3.0.0/16', nodeIds: [c1, c2] });
    expect([b.status, c.status]).toEqual([201, 201]);
    expect((await t.api('POST', '/api/v1/segments', { name: 'A', range: '127.9.0.0/16' })).status).toBe(409);

    const device = await enrollDevice(t);
    const inA = await checkinFrom(device, '127.1.0.5');
    expect(inA.distribution.map((s) => s.nodeId)).toEqual([a1, a2, b1, b2, c1, c2, null]);
    const inB = await checkinFrom(device, '127.2.3.4');
    expect(inB.distribution.map((s) => [s.nodeId, s.tier])).toEqual([[b1, 'segment'], [b2, 'segment'], [a1, 'neighbour'], [a2, 'neighbour'], [c1, 'other'], [c2, 'other'], [null, 'origin']]);
    const computer = await t.coordinator.db.models.Computer.findByPk(device.computerId);
    expect(computer!.segmentId).toBe(b.body.id);

    // A narrower segment inside B wins; the primary going offline moves it out of the chain.
    const lab = await t.api('POST', '/api/v1/segments', { name: 'B-lab', range: '127.2.3.0/24', nodeIds: [[b2, b1]] });
    await t.coordinator.db.models.Node.update({ lastHeartbeatAt: new Date(Date.now() - 3600_000) }, { where: { id: b2 } });
    const inLab = await checkinFrom(device, '127.2.3.4');
    expect(inLab.distribution.slice(0, 1).map((s) => s.nodeId)).toEqual([b1]);
    const explain = await t.api('GET', `/api/v1/computers/${device.computerId}/explain`);
    expect(explain.body.distribution.segment).toEqual({ id: lab.body.id, name: 'B-lab' });
    expect(explain.body.distribution.skipped).toEqual([{ nodeId: b2, reason: `node ${b2} (n4) is offline` }]);
    expect(explain.body.distribution.chain[0].reason).toContain('primary of segment "B-lab"');
  });

  it('counts bytes by source per segment, with the share from its own nodes', async () => {
    const device = await enrollDevice(t);
    await checkinFrom(device, '127.3.0.9');
    const client = new CoordinatorClient([t.url], { ca: t.caPem, cert: device.cert, key: device.key });
    await client.reportDownload(device.computerId, { packageId: 1, sources: [{ nodeId: nodes[4]!, bytes: 300 }, { nodeId: nodes[0]!, bytes: 50 }, { nodeId: null, bytes: 50 }] });
    await client.close();
    const segmentId = (await t.coordinator.db.models.Computer.findByPk(device.computerId))!.segmentId!;
    const traffic = await t.api('GET', `/api/v1/segments/${segmentId}/traffic`);
    expect(traffic.body).toMatchObject({ totalBytes: 400, inSegmentBytes: 300, inSegmentShare: 0.75 });
    expect(traffic.body.sources).toEqual(expect.arrayContaining([{ tier: 'origin', nodeId: null, bytes: 50 }, { tier: 'other', nodeId: nodes[0], bytes: 50 }]));
  });

  it('places devices by reported addresses only when allowed, recalculates smart groups, and mirrors node lists onto nodes', async () => {
    const r = (await t.api('POST', '/api/v1/segments', { name: 'R', range: '10.20.0.0/16', nodeIds: [nodes[5]] })).body;
    expect((await t.api('GET', `/api/v1/nodes/${nodes[5]}`)).body.segmentIds).toContain(r.id);
    const group = await t.api('POST', '/api/v1/groups', { name: 'In R', kind: 'smart', criteria: [{ field: 'computer.segmentId', operator: 'is', value: String(r.id) }] });
    expect(group.status).toBe(201);
    const device = await enrollDevice(t);
    const inventory = { network: { hostname: 'h', interfaces: [{ name: 'en0', mac: '', ipv4: ['10.20.0.5'], ipv6: [] }] } };
    await t.coordinator.db.models.Computer.update({ inventory: JSON.stringify(inventory) }, { where: { id: device.computerId } });

    expect((await checkinFrom(device, '127.9.0.1')).distribution[0]!.tier).not.toBe('segment');
    expect((await t.api('GET', '/api/v1/segment-settings')).body).toEqual({ useReportedAddresses: false });
    expect((await t.api('PUT', '/api/v1/segment-settings', { useReportedAddresses: true })).status).toBe(200);
    expect((await checkinFrom(device, '127.9.0.1')).distribution[0]).toMatchObject({ nodeId: nodes[5], tier: 'segment' });
    const explain = (await t.api('GET', `/api/v1/computers/${device.computerId}/explain`)).body;
    expect(explain.groups).toEqual([{ id: group.body.id, name: 'In R' }]);

    // A policy naming the segment blocks its deletion; once gone, its computers and nodes forget it.
    const policy = await t.api('POST', '/api/v1/policies', { name: 'R only', triggers: ['checkin'], frequency: 'ongoing', scope: { segments: [r.id] }, payloads: [{ type: 'inventory' }] });
    expect((await t.api('DELETE', `/api/v1/segments/${r.id}`)).status).toBe(409);
    await t.api('DELETE', `/api/v1/policies/${policy.body.id}`);
    await t.api('DELETE', `/api/v1/groups/${group.body.id}`);
    expect((await t.api('DELETE', `/api/v1/segments/${r.id}`)).status).toBe(204);
    expect((await t.coordinator.db.models.Computer.findByPk(device.computerId))!.segmentId).toBeNull();
    expect((await t.api('GET', `/api/v1/nodes/${nodes[5]}`)).body.segmentIds).not.toContain(r.id);
  });
});
