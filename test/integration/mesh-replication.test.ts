import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryPackageCatalog } from '../../coordinator/nodes/package-catalog.js';
import { FsChunkStore } from '../../shared/content/fs-chunk-store.js';
import { startTestCoordinator, type TestCoordinator } from '../helpers/coordinator.js';
import { agentGet, createNode, enrollDevice, eventually, stagePackage, startNodeProcess, type NodeProcess, type StagedPackage } from '../helpers/mesh.js';

/** Every chunk of the package is in the node's store and verifies. */
async function holdsAll(node: NodeProcess, pkg: StagedPackage): Promise<boolean> {
  const store = new FsChunkStore(join(node.dataDir, 'chunks'));
  for (const c of pkg.chunks) if (!(await store.get(c.digest))) return false;
  return true;
}

describe('mesh replication across node processes', () => {
  let t: TestCoordinator;
  let tmp: string;
  const catalog = new MemoryPackageCatalog();
  const nodes: NodeProcess[] = [];

  beforeAll(async () => {
    t = await startTestCoordinator({ packageCatalog: catalog, config: { nodeHeartbeatSeconds: 1 } });
    tmp = await mkdtemp(join(tmpdir(), 'homing-mesh-'));
  });
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop('SIGKILL')));
    await t?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  async function launch(i: number): Promise<NodeProcess> {
    const { token } = await createNode(t, `node-${i}`);
    const node = await startNodeProcess(t, { ip: `127.0.0.${10 + i}`, dataDir: join(tmp, `node-${i}`), token });
    nodes.push(node);
    return node;
  }

  it('replicates a multi-chunk package to 3 nodes with the origin sending it about once; a late node catches up from peers', async () => {
    const [a, b, c] = await Promise.all([launch(1), launch(2), launch(3)]);
    await eventually(async () => {
      const list = (await t.api('GET', '/api/v1/nodes')).body.items as { status: string; health: { peers: number } | null }[];
      return list.length === 3 && list.every((n) => n.status === 'healthy' && n.health?.peers === 3);
    }, 30_000, 'three healthy, fully connected nodes');

    const pkg = await stagePackage(t, catalog, 1, 12 * 1024 * 1024);
    expect(pkg.chunks.length).toBeGreaterThan(5);
    for (const n of [a!, b!, c!]) expect((await t.api('POST', `/api/v1/nodes/${n.nodeId}/pins`, { packageId: 1 })).status).toBe(201);
    for (const n of [a!, b!, c!]) await eventually(() => holdsAll(n, pkg), 60_000, `node ${n.nodeId} to hold the package`);

    const traffic = await eventually(async () => {
      const items = (await t.api('GET', '/api/v1/distribution/traffic')).body.items as { packageId: number; originBytes: number; peerBytes: number }[];
      const p = items.find((i) => i.packageId === 1);
      return p && p.originBytes + p.peerBytes >= 3 * pkg.size ? p : undefined;
    }, 15_000, 'traffic reports');
    expect(traffic.originBytes).toBeGreaterThanOrEqual(pkg.size);
    expect(traffic.originBytes).toBeLessThanOrEqual(1.05 * pkg.size);
    expect(traffic.peerBytes).toBeGreaterThanOrEqual(2 * pkg.size * 0.95);

    const late = await launch(4);
    expect((await t.api('POST', `/api/v1/nodes/${late.nodeId}/pins`, { packageId: 1 })).status).toBe(201);
    await eventually(() => holdsAll(late, pkg), 60_000, 'the late node to catch up');
    const after = (await t.api('GET', '/api/v1/distribution/traffic')).body.items.find((i: { packageId: number }) => i.packageId === 1);
    expect(after.originBytes).toBeLessThanOrEqual(1.05 * pkg.size);
  }, 240_000);

  it('serves chunks and manifests to agents over mTLS with Range and caching headers; refuses revoked devices', async () => {
    const node = nodes[0]!;
    const chunk = (await stagePackage(t, catalog, 2, 2 * 1024 * 1024)).chunks[0]!;
    await t.api('POST', `/api/v1/nodes/${node.nodeId}/pins`, { packageId: 2 });
    const device = await enrollDevice(t);
    const url = `${node.httpUrl}/v1/chunks/${chunk.digest}`;
    const part = await eventually(async () => {
      const r = await agentGet(url, t.caPem, device, { range: 'bytes=100-1123' });
      return r.status === 206 ? r : undefined;
    }, 30_000, 'the chunk on the node');
    expect(part.body).toEqual(Buffer.from(chunk.data.subarray(100, 1124)));
    expect(part.headers['content-range']).toBe(`bytes 100-1123/${chunk.length}`);
    expect(part.headers['cache-control']).toContain('immutable');
    const manifest = await agentGet(`${node.httpUrl}/v1/manifests/2`, t.caPem, device, { range: 'bytes=0-9' });
    expect(manifest.status).toBe(206);
    expect(manifest.body.toString()).toBe('{"manifest'.slice(0, 10));
    await expect(agentGet(url, t.caPem, undefined)).rejects.toThrow();

    expect((await t.api('DELETE', `/api/v1/computers/${device.computerId}`)).status).toBe(204);
    const refused = await agentGet(url, t.caPem, device);
    expect(refused.status).toBe(403);
  }, 90_000);

  it('garbage-collects chunks no longer desired', async () => {
    const node = nodes[0]!;
    for (const id of [1, 2]) expect((await t.api('DELETE', `/api/v1/nodes/${node.nodeId}/pins/${id}`)).status).toBe(204);
    await eventually(async () => (await new FsChunkStore(join(node.dataDir, 'chunks')).list()[Symbol.asyncIterator]().next()).done, 20_000, 'an empty store');
    const view = await eventually(async () => {
      const v = (await t.api('GET', `/api/v1/nodes/${node.nodeId}`)).body;
      return v.health?.storedBytes === 0 ? v : undefined;
    }, 10_000, 'the heartbeat to report an empty store');
    expect(view.health.chunks).toBe(0);
  });
});
