import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { multiaddr } from '@multiformats/multiaddr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/clock.js';
import { createKeyAndCsr } from '../../shared/pki/csr.js';
import { requestHaves } from '../../shared/mesh/have-protocol.js';
import { startTestCoordinator, type TestCoordinator } from '../helpers/coordinator.js';
import { createNode, eventually, startNodeProcess, type NodeProcess } from '../helpers/mesh.js';
import { startRegisteredPeer, startStrangerPeer, type TestPeer } from '../helpers/mesh-peer.js';

describe('node join, health and mesh admission', () => {
  const clock = new ManualClock(Date.now());
  let t: TestCoordinator;
  let tmp: string;
  let node: NodeProcess;
  const peers: TestPeer[] = [];

  beforeAll(async () => {
    t = await startTestCoordinator({ clock, config: { nodeHeartbeatSeconds: 1 } });
    tmp = await mkdtemp(join(tmpdir(), 'homing-mesh-sec-'));
  });
  afterAll(async () => {
    await node?.stop('SIGKILL');
    for (const p of peers) await p.stop();
    await t?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  const addrOf = async (id: number) => multiaddr((await t.api('GET', `/api/v1/nodes/${id}`)).body.addrs[0]);

  it('joins with a one-time token and heartbeats; the token cannot be used again', async () => {
    const { id, token } = await createNode(t, 'building-a');
    expect((await t.api('GET', `/api/v1/nodes/${id}`)).body.status).toBe('pending');
    node = await startNodeProcess(t, { ip: '127.0.0.21', dataDir: join(tmp, 'a'), token });
    const view = await eventually(async () => {
      const v = (await t.api('GET', `/api/v1/nodes/${id}`)).body;
      return v.status === 'healthy' && v.health ? v : undefined;
    }, 20_000, 'a healthy node');
    expect(view.peerId).toMatch(/^12D3KooW/);
    expect(view.addrs[0]).toContain('/ip4/127.0.0.21/tcp/');
    const { csrPem } = await createKeyAndCsr('again');
    const again = await t.api('POST', '/node/v1/join', { token, csr: csrPem, peerId: view.peerId, addrs: [], httpUrl: 'https://127.0.0.1:1', names: ['x'] }, { token: null });
    expect(again.status).toBe(403);
    expect(again.body.error.code).toBe('INVALID_TOKEN');
  });

  it('refuses a PeerId the coordinator does not list, even with a valid noise key', async () => {
    const stranger = await startStrangerPeer('127.0.0.22');
    peers.push(stranger);
    await expect(requestHaves(stranger.host, await addrOf(node.nodeId), 1, { timeoutMs: 5_000 })).rejects.toThrow();
  });

  it('admits a registered node and cuts it off (mesh and certificate) once revoked', async () => {
    const peer = await startRegisteredPeer(t, '127.0.0.23');
    peers.push(peer);
    peer.allowlist.replace([(await t.api('GET', `/api/v1/nodes/${node.nodeId}`)).body.peerId]);
    const target = await addrOf(node.nodeId);
    await eventually(() => requestHaves(peer.host, target, 1, { timeoutMs: 3_000 }).then(() => true), 20_000, 'the registered peer to be admitted');
    expect((await t.api('DELETE', `/api/v1/nodes/${peer.nodeId}`)).status).toBe(204);
    await eventually(async () => {
      for (const c of peer.host.getConnections()) await c.close();
      return requestHaves(peer.host, target, 1, { timeoutMs: 3_000 }).then(() => false, () => true);
    }, 20_000, 'the revoked peer to be refused');
    expect((await t.api('GET', `/api/v1/nodes/${peer.nodeId}`)).body.status).toBe('revoked');
    expect(await peer.heartbeat()).toBe(403);
  });

  it('reports a silent node unhealthy, then offline, then revoked', async () => {
    await node.stop();
    await clock.advance(4_500);
    expect((await t.api('GET', `/api/v1/nodes/${node.nodeId}`)).body.status).toBe('unhealthy');
    await clock.advance(7_000);
    expect((await t.api('GET', `/api/v1/nodes/${node.nodeId}`)).body.status).toBe('offline');
    expect((await t.api('DELETE', `/api/v1/nodes/${node.nodeId}`)).status).toBe(204);
    const list = (await t.api('GET', '/api/v1/nodes')).body.items;
    expect(list.find((n: { id: number }) => n.id === node.nodeId).status).toBe('revoked');
  });
});
