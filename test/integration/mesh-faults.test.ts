import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryPackageCatalog } from '../../coordinator/nodes/package-catalog.js';
import { originAssignee } from '../../node/chunk-picker.js';
import { FsChunkStore } from '../../shared/content/fs-chunk-store.js';
import type { Digest } from '../../shared/digest.js';
import { Bitfield } from '../../shared/mesh/bitfield.js';
import { serveChunks } from '../../shared/mesh/chunk-protocol.js';
import { serveHaves } from '../../shared/mesh/have-protocol.js';
import { startTestCoordinator, type TestCoordinator } from '../helpers/coordinator.js';
import { createNode, eventually, stagePackage, startNodeProcess, type NodeProcess, type StagedPackage } from '../helpers/mesh.js';
import { startRegisteredPeer, type TestPeer } from '../helpers/mesh-peer.js';

/** How many stored chunks verify, and how many files the store lists (equal when nothing partial is visible). */
async function storeState(dataDir: string, pkg: StagedPackage) {
  const store = new FsChunkStore(join(dataDir, 'chunks'));
  let listed = 0;
  for await (const _ of store.list()) listed++;
  let verified = 0;
  for (const c of pkg.chunks) if (await store.get(c.digest)) verified++;
  return { listed, verified };
}

describe('mesh faults', () => {
  let t: TestCoordinator;
  let tmp: string;
  const catalog = new MemoryPackageCatalog();
  const nodes: NodeProcess[] = [];
  const peers: TestPeer[] = [];

  beforeAll(async () => {
    t = await startTestCoordinator({ packageCatalog: catalog, config: { nodeHeartbeatSeconds: 5 } });
    tmp = await mkdtemp(join(tmpdir(), 'homing-mesh-faults-'));
  });
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop('SIGKILL')));
    for (const p of peers) await p.stop();
    await t?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  async function launch(ip: string, env: Record<string, string> = {}) {
    const { token } = await createNode(t, ip);
    const node = await startNodeProcess(t, { ip, dataDir: join(tmp, ip), token, env });
    nodes.push(node);
    return node;
  }

  it('bans a peer that sends corrupt bytes and completes from the others', async () => {
    const pkg = await stagePackage(t, catalog, 10, 6 * 1024 * 1024);
    const evil = await startRegisteredPeer(t, '127.0.0.31');
    peers.push(evil);
    let corruptSent = 0;
    const byDigest = new Map(pkg.chunks.map((c) => [c.digest, c.data]));
    await serveChunks(evil.host, {
      store: { async get(d: Digest) { const b = byDigest.get(d); if (!b) return undefined; corruptSent++; const bad = Uint8Array.from(b); bad[0]! ^= 0xff; return bad; } },
    });
    const all = new Bitfield(pkg.chunks.length);
    pkg.chunks.forEach((_, i) => all.set(i));
    await serveHaves(evil.host, async (packageId) => ({ packageId, count: all.length, bits: all.toBase64() }));

    const node = await launch('127.0.0.32');
    evil.allowlist.replace([(await t.api('GET', `/api/v1/nodes/${node.nodeId}`)).body.peerId]);
    expect((await t.api('POST', `/api/v1/nodes/${node.nodeId}/pins`, { packageId: 10 })).status).toBe(201);
    await eventually(async () => (await storeState(node.dataDir, pkg)).verified === pkg.chunks.length, 60_000, 'the node to complete');
    expect(corruptSent).toBeGreaterThan(0);
    expect(node.output()).toContain('banned');
    expect(await storeState(node.dataDir, pkg)).toEqual({ listed: pkg.chunks.length, verified: pkg.chunks.length });
  }, 120_000);

  it('takes from the origin the chunks assigned to a holder that is connected but never makes progress', async () => {
    const pkg = await stagePackage(t, catalog, 13, 12 * 1024 * 1024);
    const stuck = await startRegisteredPeer(t, '127.0.0.35');
    peers.push(stuck);
    const none = new Bitfield(pkg.chunks.length);
    await serveHaves(stuck.host, async (packageId) => (packageId === 13 ? { packageId, count: none.length, bits: none.toBase64() } : undefined));
    const beat = setInterval(() => void stuck.heartbeat().catch(() => {}), 2_000);
    try {
      expect((await t.api('POST', `/api/v1/nodes/${stuck.nodeId}/pins`, { packageId: 13 })).status).toBe(201);
      const node = await launch('127.0.0.36');
      const nodePeerId = (await t.api('GET', `/api/v1/nodes/${node.nodeId}`)).body.peerId as string;
      stuck.allowlist.replace([nodePeerId]);
      // Without the stuck holder's share there is nothing to show: some chunks must be assigned to it.
      expect(pkg.chunks.some((c) => originAssignee(c.digest, [nodePeerId, stuck.host.peerId.toString()]) === stuck.host.peerId.toString())).toBe(true);
      expect((await t.api('POST', `/api/v1/nodes/${node.nodeId}/pins`, { packageId: 13 })).status).toBe(201);
      await eventually(async () => stuck.host.getConnections().length > 0, 30_000, 'the node to connect to the stuck holder');
      await eventually(async () => (await storeState(node.dataDir, pkg)).verified === pkg.chunks.length, 60_000, 'the node to complete without the stuck holder');
      expect(stuck.host.getConnections().length).toBeGreaterThan(0);
    } finally {
      clearInterval(beat);
    }
  }, 120_000);

  it('resumes after being killed mid-replication, with no partial chunk visible', async () => {
    const pkg = await stagePackage(t, catalog, 11, 16 * 1024 * 1024);
    const env = { HOMING_DOWNLOAD_BYTES_PER_SECOND: String(2 * 1024 * 1024) };
    const node = await launch('127.0.0.33', env);
    expect((await t.api('POST', `/api/v1/nodes/${node.nodeId}/pins`, { packageId: 11 })).status).toBe(201);
    await eventually(async () => (await storeState(node.dataDir, pkg)).verified >= 3, 60_000, 'a few chunks');
    await node.stop('SIGKILL');
    const killed = await storeState(node.dataDir, pkg);
    expect(killed.listed).toBe(killed.verified);
    expect(killed.verified).toBeLessThan(pkg.chunks.length);

    const again = await startNodeProcess(t, { ip: node.ip, dataDir: node.dataDir, env: {} });
    nodes.push(again);
    expect(again.nodeId).toBe(node.nodeId);
    await eventually(async () => (await storeState(node.dataDir, pkg)).verified === pkg.chunks.length, 60_000, 'the restarted node to complete');
    const traffic = (await t.api('GET', '/api/v1/distribution/traffic')).body.items.find((i: { packageId: number }) => i.packageId === 11);
    // Chunks in flight when the node was killed are sent again; nothing else is.
    expect(traffic.originBytes).toBeLessThanOrEqual(pkg.size + 4 * 4 * 1024 * 1024);
  }, 150_000);

  it('refuses chunks beyond its disk quota, reports unhealthy and stores nothing corrupt', async () => {
    const pkg = await stagePackage(t, catalog, 12, 12 * 1024 * 1024);
    const node = await launch('127.0.0.34', { HOMING_QUOTA_BYTES: String(4 * 1024 * 1024) });
    expect((await t.api('POST', `/api/v1/nodes/${node.nodeId}/pins`, { packageId: 12 })).status).toBe(201);
    const view = await eventually(async () => {
      const v = (await t.api('GET', `/api/v1/nodes/${node.nodeId}`)).body;
      return v.status === 'unhealthy' ? v : undefined;
    }, 90_000, 'the node to report the quota');
    expect(view.health.problems.join()).toContain('quota');
    expect(view.health.storedBytes).toBeLessThanOrEqual(4 * 1024 * 1024);
    const state = await storeState(node.dataDir, pkg);
    expect(state.listed).toBe(state.verified);
    expect(state.verified).toBeLessThan(pkg.chunks.length);
    expect(await readdir(join(node.dataDir, 'chunks', 'tmp'))).toEqual([]);
  }, 120_000);
});
