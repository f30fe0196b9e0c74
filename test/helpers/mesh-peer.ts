import { generateKeyPair } from '@libp2p/crypto/keys';
import type { Libp2p } from '@libp2p/interface';
import { meshAddresses, startMeshHost } from '../../shared/mesh/mesh-host.js';
import { PeerAllowlist } from '../../shared/mesh/peer-allowlist.js';
import { createKeyAndCsr } from '../../shared/pki/csr.js';
import type { TestCoordinator } from './coordinator.js';
import { createNode } from './mesh.js';

/** An in-process libp2p host (a stand-in node the test controls: an attacker, a corrupting peer). */
export interface TestPeer { host: Libp2p; allowlist: PeerAllowlist; nodeId?: number; stop(): Promise<void> }

/** A mesh host with a fresh identity that the coordinator has never heard of. */
export async function startStrangerPeer(ip: string): Promise<TestPeer> {
  const allowlist = new PeerAllowlist();
  const host = await startMeshHost({ privateKey: await generateKeyPair('Ed25519'), host: ip, port: 0, allowlist });
  return { host, allowlist, stop: () => host.stop() as Promise<void> };
}

/** A mesh host registered as a node through the real join route, heartbeating once so it counts as live. */
export async function startRegisteredPeer(t: TestCoordinator, ip: string): Promise<TestPeer & { nodeId: number; heartbeat(): Promise<number> }> {
  const peer = await startStrangerPeer(ip);
  const { id, token } = await createNode(t, `test-peer-${ip}`);
  const { keyPem, csrPem } = await createKeyAndCsr('test peer');
  const joined = await t.api('POST', '/node/v1/join', {
    token, csr: csrPem, peerId: peer.host.peerId.toString(), addrs: meshAddresses(peer.host), httpUrl: `https://${ip}:1`, names: [ip],
  }, { token: null });
  if (joined.status !== 201) throw new Error(`join failed: ${JSON.stringify(joined.body)}`);
  const health = { freeBytes: 1, storedBytes: 0, chunks: 0, load: 0, connections: 0, peers: 0, bytesServed: 0, problems: [] };
  const heartbeat = async () => (await t.api('POST', '/node/v1/heartbeat', { addrs: meshAddresses(peer.host), httpUrl: `https://${ip}:1`, health, traffic: [] },
    { token: null, tls: { cert: joined.body.certificate, key: keyPem } })).status;
  const status = await heartbeat();
  if (status !== 200) throw new Error(`heartbeat failed with ${status}`);
  return { ...peer, nodeId: id, heartbeat };
}

