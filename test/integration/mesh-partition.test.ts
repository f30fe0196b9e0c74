import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryPackageCatalog } from '../../coordinator/nodes/package-catalog.js';
import { FsChunkStore } from '../../shared/content/fs-chunk-store.js';
import { namespaceSupport } from '../../simulations/net/availability.js';
import { createNamespaceTopology, type NamespaceTopology } from '../../simulations/net/namespace-topology.js';
import { startTestCoordinator, type TestCoordinator } from '../helpers/coordinator.js';
import { createNode, eventually, stagePackage, startNodeProcess, type NodeProcess, type StagedPackage } from '../helpers/mesh.js';

const support = namespaceSupport();
if (!support.available) console.warn(`mesh partition test skipped: ${support.reason}`);

/** How many of the package's chunks the node's store holds and verifies, and how many files it lists. */
async function storeState(node: NodeProcess, pkg: StagedPackage) {
  const store = new FsChunkStore(join(node.dataDir, 'chunks'));
  let listed = 0;
  for await (const _ of store.list()) listed++;
  let verified = 0;
  for (const c of pkg.chunks) if (await store.get(c.digest)) verified++;
  return { listed, verified };
}

const holdsAll = async (node: NodeProcess, pkg: StagedPackage) => (await storeState(node, pkg)).verified === pkg.chunks.length;

/**
 * Four node processes, each in its own network namespace on one bridge with the coordinator. Side B
 * (two nodes) is cut off from side A and from the coordinator and origin while a package is published;
 * side A replicates it; after the heal side B learns its desired set and catches up from A's nodes.
 */
describe.skipIf(!support.available)('mesh partition and heal (network namespaces)', () => {
  let net: NamespaceTopology;
  let t: TestCoordinator;
  let tmp: string;
  const catalog = new MemoryPackageCatalog();
  const nodes = new Map<string, NodeProcess>();

  beforeAll(async () => {
    net = createNamespaceTopology(['a1', 'a2', 'b1', 'b2']);
    t = await startTestCoordinator({ packageCatalog: catalog, config: { host: net.bridgeIp, serverNames: [net.bridgeIp], nodeHeartbeatSeconds: 1 } });
    tmp = await mkdtemp(join(tmpdir(), 'homing-mesh-partition-'));
  });
  afterAll(async () => {
    await Promise.all([...nodes.values()].map((n) => n.stop('SIGKILL')));
    await t?.stop();
    net?.teardown();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('both sides converge on every chunk, verified, with the origin sending the package about once', async () => {
    await Promise.all(net.hosts.map(async (h) => {
      const { token } = await createNode(t, h.name);
      // Origin delay: a node that just learned a package first hears its peers' have-lists before asking the origin.
      nodes.set(h.name, await startNodeProcess(t, { ip: h.ip, dataDir: join(tmp, h.name), token, argv: h.argv, env: { HOMING_ORIGIN_DELAY_SECONDS: '4' } }));
    }));
    const statuses = async () => (await t.api('GET', '/api/v1/nodes')).body.items as { id: number; status: string; health: { peers: number } | null }[];
    await eventually(async () => (await statuses()).every((n) => n.status === 'healthy' && n.health?.peers === 4), 45_000, 'four healthy nodes, each connected to three peers and the origin');

    net.partition([['a1', 'a2'], ['b1', 'b2']], { bridgeGroup: 0 });
    const [a1, a2, b1, b2] = ['a1', 'a2', 'b1', 'b2'].map((n) => nodes.get(n)!);
    const pkg = await stagePackage(t, catalog, 1, 12 * 1024 * 1024);
    for (const n of nodes.values()) expect((await t.api('POST', `/api/v1/nodes/${n.nodeId}/pins`, { packageId: 1 })).status).toBe(201);
    for (const n of [a1!, a2!]) await eventually(() => holdsAll(n, pkg), 60_000, `side A node ${n.nodeId} to hold the package during the partition`);
    for (const n of [b1!, b2!]) expect((await storeState(n, pkg)).verified).toBe(0);
    await eventually(async () => (await statuses()).filter((n) => n.id === b1!.nodeId || n.id === b2!.nodeId).every((n) => n.status === 'offline'), 30_000, 'side B to count as offline');

    net.heal();
    for (const n of [b1!, b2!]) await eventually(() => holdsAll(n, pkg), 60_000, `side B node ${n.nodeId} to catch up after the heal`);
    for (const n of nodes.values()) expect(await storeState(n, pkg)).toEqual({ listed: pkg.chunks.length, verified: pkg.chunks.length });

    const traffic = await eventually(async () => {
      const items = (await t.api('GET', '/api/v1/distribution/traffic')).body.items as { packageId: number; originBytes: number; peerBytes: number }[];
      const p = items.find((i) => i.packageId === 1);
      return p && p.originBytes + p.peerBytes >= 4 * pkg.size ? p : undefined;
    }, 20_000, 'traffic reports from all four nodes');
    expect(traffic.originBytes).toBeGreaterThanOrEqual(pkg.size);
    // A healed node waits for its peers' connections and have-lists before asking the origin.
    expect(traffic.originBytes).toBeLessThanOrEqual(1.05 * pkg.size);
  }, 180_000);
});
