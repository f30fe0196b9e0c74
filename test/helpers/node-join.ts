import { generateKeyPair } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { createKeyAndCsr } from '../../shared/pki/csr.js';
import type { NodeHealth } from '../../shared/schemas/nodes.js';
import type { TestCoordinator } from './coordinator.js';
import { createNode } from './mesh.js';

/** What a joined test node reports when nothing says otherwise. */
export const IDLE_HEALTH: NodeHealth = { freeBytes: 1, storedBytes: 0, chunks: 0, load: 0, connections: 0, peers: 0, bytesServed: 0, problems: [] };

/** A node joined through the real join route (no mesh host): it heartbeats with the health the test chooses. */
export interface JoinedNode { id: number; heartbeat(health?: NodeHealth): Promise<void> }

/** Creates, joins and heartbeats a node as `ip` with `health`, all through the coordinator's API. */
export async function joinNode(t: TestCoordinator, name: string, ip: string, health: NodeHealth = IDLE_HEALTH): Promise<JoinedNode> {
  const { id, token } = await createNode(t, name);
  const { keyPem, csrPem } = await createKeyAndCsr(name);
  const peerId = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString();
  const addrs = [`/ip4/${ip}/tcp/4001/p2p/${peerId}`];
  const httpUrl = `https://${ip}:8443`;
  const joined = await t.api('POST', '/node/v1/join', { token, csr: csrPem, peerId, addrs, httpUrl, names: [ip] }, { token: null });
  if (joined.status !== 201) throw new Error(`node ${name} could not join: ${JSON.stringify(joined.body)}`);
  const tls = { cert: joined.body.certificate as string, key: keyPem };
  const heartbeat = async (h: NodeHealth = health) => {
    const res = await t.api('POST', '/node/v1/heartbeat', { addrs, httpUrl, health: h, traffic: [] }, { token: null, tls });
    if (res.status !== 200) throw new Error(`node ${name} heartbeat answered ${res.status}: ${JSON.stringify(res.body)}`);
  };
  await heartbeat();
  return { id, heartbeat };
}
