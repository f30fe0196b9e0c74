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

// Real node processes: a primary and a failover in each of 127.1.x, 127.2.x and 127.3.x; agents bound to each range.
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

  it('serves each agent from its own primary, fails over mid-download, and leaves a segment whose nodes are all down', async () => {
    const names = ['a1', 'a2', 'b1', 'b2', 'c1', 'c2'];
    const [a1, a2, b1, b2, c1, c2] = await Promise.all(names.map((n, i) => launch(n, `127.${1 + Math.floor(i / 2)}.0.${10 + (i % 2)}`)));
    const all = [a1!, a2!, b1!, b2!, c1!, c2!];
    await eventually(async () => {
      const list = (await t.api('GET', '/api/v1/nodes')).body.items as { status: string }[];
      return list.length === 6 && list.every((n) => n.status === 'healthy');
    }, 60_000, 'six healthy nodes');
    pkg = await stagePackage(t, catalog, 1, 8 * 1024 * 1024);
    for (const n of all) expect((await t.api('POST', `/api/v1/nodes/${n.nodeId}/pins`, { packageId: 1 })).status).toBe(201);
    for (const n of all) await eventually(() => holdsAll(n), 90_000, `node ${n.nodeId} to hold the package`);
    const segments = [['A', '127.1.0.0/16', a1!, a2!], ['B', '127.2.0.0/16', b1!, b2!], ['C', '127.3.0.0/16', c1!, c2!]] as const;
    for (const [name, range, primary, failover] of segments) {
      expect((await t.api('POST', '/api/v1/segments', { name, range, nodeIds: [primary.nodeId, failover.nodeId] })).status).toBe(201);
    }

    // Each building's agents get their own chain and take every byte from their own primary.
    for (const [, range, primary, failover] of segments) {
      const ip = range.replace('0.0/16', '0.50');
      const got = await download(ip);
      expect(got.chain.slice(0, 2).map((s) => [s.nodeId, s.tier])).toEqual([[primary.nodeId, 'segment'], [failover.nodeId, 'segment']]);
      expect(got.chain.slice(2, 6).every((s) => s.tier === 'other')).toBe(true);
      expect(got.chain[6]).toMatchObject({ nodeId: null, tier: 'origin' });
      expect(got.received).toEqual([{ nodeId: primary.nodeId, bytes: pkg.size }]);
    }

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

    // Both of C's nodes die: its agents go to the next level of the chain (other buildings' nodes), not the origin.
    await Promise.all([c1!.stop('SIGKILL'), c2!.stop('SIGKILL')]);
    const orphan = await download('127.3.0.51');
    const served = orphan.received.filter((r) => r.bytes > 0);
    expect(served.every((r) => r.nodeId !== null && r.nodeId !== c1!.nodeId && r.nodeId !== c2!.nodeId)).toBe(true);
    expect(served.reduce((n, r) => n + r.bytes, 0)).toBe(pkg.size);
  });
});
