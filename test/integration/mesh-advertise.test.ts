import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryPackageCatalog } from '../../coordinator/nodes/package-catalog.js';
import { startTestCoordinator, type TestCoordinator } from '../helpers/coordinator.js';
import { agentGet, createNode, enrollDevice, eventually, stagePackage, startNodeProcess, type NodeProcess } from '../helpers/mesh.js';

/** A TCP port free on every interface right now (a node listening on 0.0.0.0 must not collide with nodes on 127.x). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe('a node listening on 0.0.0.0 with --advertise-host', () => {
  let t: TestCoordinator;
  let tmp: string;
  const catalog = new MemoryPackageCatalog();
  const nodes: NodeProcess[] = [];

  beforeAll(async () => {
    t = await startTestCoordinator({ packageCatalog: catalog, config: { nodeHeartbeatSeconds: 1 } });
    tmp = await mkdtemp(join(tmpdir(), 'homing-mesh-advertise-'));
  });
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop('SIGKILL')));
    await t?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  it('refuses to start without an address to advertise', async () => {
    const { token } = await createNode(t, 'wildcard');
    await expect(startNodeProcess(t, { ip: '0.0.0.0', dataDir: join(tmp, 'wildcard'), token, httpPort: await freePort() })).rejects.toThrow(/--advertise-host/);
  });

  it('registers the advertised address for the mesh and for agents, and serves agents there', async () => {
    const { token } = await createNode(t, 'advertised');
    const httpPort = await freePort();
    const node = await startNodeProcess(t, { ip: '0.0.0.0', dataDir: join(tmp, 'advertised'), token, httpPort, args: ['--advertise-host', '127.0.0.41'] });
    nodes.push(node);
    const view = await eventually(async () => {
      const v = (await t.api('GET', `/api/v1/nodes/${node.nodeId}`)).body;
      return v.status === 'healthy' && v.health?.peers === 1 ? v : undefined;
    }, 30_000, 'the node to heartbeat and reach the origin');
    expect(view.httpUrl).toBe(`https://127.0.0.41:${httpPort}`);
    expect(view.addrs.length).toBeGreaterThan(0);
    for (const addr of view.addrs as string[]) expect(addr).toMatch(/^\/ip4\/127\.0\.0\.41\/tcp\/\d+\/p2p\//);

    const chunk = (await stagePackage(t, catalog, 1, 1024 * 1024)).chunks[0]!;
    expect((await t.api('POST', `/api/v1/nodes/${node.nodeId}/pins`, { packageId: 1 })).status).toBe(201);
    const device = await enrollDevice(t);
    const got = await eventually(async () => {
      const r = await agentGet(`${view.httpUrl}/v1/chunks/${chunk.digest}`, t.caPem, device);
      return r.status === 200 ? r : undefined;
    }, 30_000, 'the chunk at the advertised URL (its certificate names that address)');
    expect(got.body).toEqual(Buffer.from(chunk.data));
  }, 90_000);
});
