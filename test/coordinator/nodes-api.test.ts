import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryPackageCatalog } from '../../coordinator/nodes/package-catalog.js';
import { startTestCoordinator, type TestCoordinator } from '../helpers/coordinator.js';
import { enrollDevice, stagePackage } from '../helpers/mesh.js';
import { startRegisteredPeer, type TestPeer } from '../helpers/mesh-peer.js';

const scope = (over: object = {}) => ({ all: false, computers: [], groups: [], segments: [], exclusions: { computers: [], groups: [], segments: [] }, ...over });

describe('node API: desired content, accounting, access', () => {
  let t: TestCoordinator;
  const catalog = new MemoryPackageCatalog();
  const peers: (TestPeer & { nodeId: number })[] = [];

  beforeAll(async () => {
    t = await startTestCoordinator({ packageCatalog: catalog, config: { nodeHeartbeatSeconds: 60 } });
    for (const id of [1, 2, 3, 4]) await stagePackage(t, catalog, id, 300 * 1024);
    peers.push(await startRegisteredPeer(t, '127.0.0.41'), await startRegisteredPeer(t, '127.0.0.42'));
  });
  afterAll(async () => {
    for (const p of peers) await p.stop();
    await t?.stop();
  });

  const policy = (name: string, packageId: number, enabled = true, s = scope({ all: true })) => t.api('POST', '/api/v1/policies', {
    name, enabled, triggers: ['checkin'], frequency: 'ongoing', scope: s, payloads: [{ type: 'package', packageId, action: 'install' }],
  });

  it('pre-stages packages of enabled policies plus pins, naming every node that holds them', async () => {
    expect((await policy('Firefox', 1)).status).toBe(201);
    expect((await policy('Disabled', 2, false)).status).toBe(201);
    expect((await policy('Segment 9 only', 3, true, scope({ segments: [9] }))).status).toBe(201);
    expect((await t.api('POST', `/api/v1/nodes/${peers[0]!.nodeId}/pins`, { packageId: 4 })).status).toBe(201);
    const services = t.coordinator.services.nodes;
    const rows = await Promise.all(peers.map(async (p) => (await t.coordinator.db.models.Node.findByPk(p.nodeId))!.get({ plain: true })));
    const first = await services.desiredFor(rows[0]!);
    const second = await services.desiredFor(rows[1]!);
    // No segments yet: a node without segments pre-stages segment-scoped policies too.
    expect(first.map((d) => d.packageId)).toEqual([1, 3, 4]);
    expect(second.map((d) => d.packageId)).toEqual([1, 3]);
    expect(first[0]!.holders.sort()).toEqual(peers.map((p) => p.host.peerId.toString()).sort());
    expect(first[2]!.holders).toEqual([peers[0]!.host.peerId.toString()]);
    expect(first[0]!.manifest.manifest.name).toBe('pkg-1');
  });

  it('accounts bytes by source per package and exposes them as metrics', async () => {
    t.coordinator.services.traffic.addOriginEgress(1, 1000);
    t.coordinator.services.traffic.addNodeReport(peers[0]!.nodeId, [{ packageId: 1, fromOrigin: 1000, fromPeers: 0, toAgents: 700 }]);
    t.coordinator.services.traffic.addNodeReport(peers[1]!.nodeId, [{ packageId: 1, fromOrigin: 0, fromPeers: 1000, toAgents: 0 }]);
    const items = (await t.api('GET', '/api/v1/distribution/traffic')).body.items;
    const p1 = items.find((i: { packageId: number }) => i.packageId === 1);
    expect(p1).toMatchObject({ originBytes: 1000, peerBytes: 1000, agentBytes: 700 });
    expect(p1.byNode).toHaveLength(2);
    const metrics = await t.api('GET', '/metrics');
    expect(String(metrics.body)).toMatch(/homing_distribution_bytes_total\{source="origin"\} 1000/);
  });

  it('keeps node routes for node certificates only', async () => {
    const device = await enrollDevice(t);
    const res = await t.api('GET', '/node/v1/peers', undefined, { token: null, tls: device });
    expect(res.status).toBe(403);
    expect((await t.api('GET', '/node/v1/peers', undefined, { token: null })).status).toBe(401);
  });
});
