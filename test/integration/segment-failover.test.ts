import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoordinatorClient } from '../../agent/coordinator-client.js';
import { ChainChunkSource } from '../../agent/packages/chain-chunk-source.js';
import { PackageCache } from '../../agent/packages/package-cache.js';
import { createSourceFetcher, type FetchFrom } from '../../agent/packages/source-fetcher.js';
import { MemoryPackageCatalog } from '../../coordinator/nodes/package-catalog.js';
import { FsChunkStore } from '../../shared/content/fs-chunk-store.js';
import { silentLogger } from '../../shared/logger.js';
import type { DistributionSource } from '../../shared/schemas/segment.js';
import { startTestCoordinator, type TestCoordinator } from '../helpers/coordinator.js';
import { createNode, enrollDevice, eventually, stagePackage, startNodeProcess, type NodeProcess, type StagedPackage } from '../helpers/mesh.js';

// Real node processes on 127.1.x (segment A: primary + failover) and 127.2.x (segment B), agents bound to each range.
describe('segments with real nodes: own primary, and failover mid-download', () => {
  let t: TestCoordinator;
  let tmp: string;
  let pkg: StagedPackage;
  const catalog = new MemoryPackageCatalog();
  const nodes: NodeProcess[] = [];
  const closers: (() => Promise<void>)[] = [];

  async function launch(name: string, ip: string): Promise<NodeProcess> {
    const { token } = await createNode(t, name);
    const node = await startNodeProcess(t, { ip, dataDir: join(tmp, name), token });
    nodes.push(node);
    return node;
  }

  async function holdsAll(node: NodeProcess): Promise<boolean> {
    const store = new FsChunkStore(join(node.dataDir, 'chunks'));
    for (const c of pkg.chunks) if (!(await store.get(c.digest))) return false;
    return true;
  }

  /** An agent bound to `ip`: checks in for its chain, then downloads the package over it into a fresh cache. */
  async function download(ip: string, wrap: (f: FetchFrom) => FetchFrom = (f) => f) {
    const device = await enrollDevice(t);
    const tls = { ca: t.caPem, cert: device.cert, key: device.key };
    const client = new CoordinatorClient([t.url], tls, { localAddress: ip });
    closers.push(() => client.close());
    const answer = await client.checkin(device.computerId, 'checkin', undefined);
    if (answer.status !== 'modified') throw new Error('expected a bundle');
    const chain: DistributionSource[] = answer.bundle.distribution;
    const fetcher = createSourceFetcher({ ...tls, localAddress: ip });
    closers.push(() => fetcher.close());
    const source = new ChainChunkSource({ chain: () => chain, fetch: wrap(fetcher.fetch), now: Date.now, logger: silentLogger() });
    const cache = new PackageCache(await mkdtemp(join(tmp, 'agent-')), 1 << 30, Date.now, 4);
    await cache.start();
    const stats = await cache.download(pkg.manifest, source);
    return { chain, stats, received: source.takeReceived() };
  }

  beforeAll(async () => {
    t = await startTestCoordinator({ packageCatalog: catalog, config: { nodeHeartbeatSeconds: 1 } });
    tmp = await mkdtemp(join(tmpdir(), 'homing-segments-'));
  });
  afterAll(async () => {
    for (const close of closers) await close().catch(() => undefined);
    await Promise.all(nodes.map((n) => n.stop('SIGKILL')));
    await t?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  it('serves each agent from its own primary, and finishes from the failover when the primary dies mid-download', async () => {
    const [a1, a2, b1] = await Promise.all([launch('a1', '127.1.0.10'), launch('a2', '127.1.0.11'), launch('b1', '127.2.0.10')]);
    await eventually(async () => {
      const list = (await t.api('GET', '/api/v1/nodes')).body.items as { status: string }[];
      return list.length === 3 && list.every((n) => n.status === 'healthy');
    }, 30_000, 'three healthy nodes');
    pkg = await stagePackage(t, catalog, 1, 8 * 1024 * 1024);
    for (const n of [a1!, a2!, b1!]) expect((await t.api('POST', `/api/v1/nodes/${n.nodeId}/pins`, { packageId: 1 })).status).toBe(201);
    for (const n of [a1!, a2!, b1!]) await eventually(() => holdsAll(n), 60_000, `node ${n.nodeId} to hold the package`);
    expect((await t.api('POST', '/api/v1/segments', { name: 'A', range: '127.1.0.0/16', nodeIds: [a1!.nodeId, a2!.nodeId] })).status).toBe(201);
    expect((await t.api('POST', '/api/v1/segments', { name: 'B', range: '127.2.0.0/16', nodeIds: [b1!.nodeId] })).status).toBe(201);

    const inA = await download('127.1.0.50');
    expect(inA.chain.map((s) => s.nodeId)).toEqual([a1!.nodeId, a2!.nodeId, b1!.nodeId, null]);
    expect(inA.received).toEqual([{ nodeId: a1!.nodeId, bytes: pkg.size }]);
    const inB = await download('127.2.0.50');
    expect(inB.chain.map((s) => s.tier)).toEqual(['segment', 'other', 'other', 'origin']);
    expect(inB.chain[0]!.nodeId).toBe(b1!.nodeId);
    expect(inB.received).toEqual([{ nodeId: b1!.nodeId, bytes: pkg.size }]);

    // Kill A's primary once it has sent ~40% of the package (mid-chunk: other chunks are still in flight).
    let fromPrimary = 0;
    let killed = false;
    const killMidway = (f: FetchFrom): FetchFrom => (url, from, max, onPart, signal) => f(url, from, max, (part) => {
      onPart(part);
      if (!url.startsWith(a1!.httpUrl) || killed) return;
      fromPrimary += part.length;
      if (fromPrimary > 0.4 * pkg.size) { killed = true; void a1!.stop('SIGKILL'); }
    }, signal);
    const failover = await download('127.1.0.51', killMidway);
    expect(killed).toBe(true);
    const bytes = new Map(failover.received.map((r) => [r.nodeId, r.bytes]));
    // Every byte arrived exactly once (verified chunks and partial chunks were never fetched again), split between A's nodes.
    expect((bytes.get(a1!.nodeId) ?? 0) + (bytes.get(a2!.nodeId) ?? 0)).toBe(pkg.size);
    expect(bytes.get(a2!.nodeId)).toBeGreaterThan(0);
    expect(failover.stats.fetchedBytes).toBe(pkg.size);
  });
});
