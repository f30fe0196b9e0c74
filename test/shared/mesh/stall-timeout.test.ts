import { generateKeyPair } from '@libp2p/crypto/keys';
import type { Libp2p } from '@libp2p/interface';
import { multiaddr } from '@multiformats/multiaddr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFrame } from '../../../shared/mesh/frames.js';
import { meshAddresses, startMeshHost } from '../../../shared/mesh/mesh-host.js';
import { PeerAllowlist } from '../../../shared/mesh/peer-allowlist.js';
import { sendRequest } from '../../../shared/mesh/rpc.js';

const TRICKLE = '/homing-test/trickle/1.0.0';
const SILENT = '/homing-test/silent/1.0.0';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('mesh requests with a stall timeout', () => {
  let server: Libp2p;
  let client: Libp2p;
  const payload = Uint8Array.from({ length: 40 * 1024 }, (_, i) => i % 256);

  beforeAll(async () => {
    const [a, b] = [new PeerAllowlist(), new PeerAllowlist()];
    server = await startMeshHost({ privateKey: await generateKeyPair('Ed25519'), host: '127.0.0.1', port: 0, allowlist: a });
    client = await startMeshHost({ privateKey: await generateKeyPair('Ed25519'), host: '127.0.0.1', port: 0, allowlist: b });
    a.replace([client.peerId.toString()]);
    b.replace([server.peerId.toString()]);
    // Answers in 1 KiB pieces 100 ms apart: about 4 s in all, never 2 s without a byte.
    await server.handle(TRICKLE, async (stream) => {
      const frame = encodeFrame(payload);
      for (let i = 0; i < frame.length; i += 1024) {
        stream.send(frame.subarray(i, i + 1024));
        await sleep(100);
      }
      await stream.close();
    });
    // Accepts the stream and never answers (a peer that is stuck but still connected).
    await server.handle(SILENT, async () => { await sleep(60_000); });
  });
  afterAll(async () => {
    await client?.stop();
    await server?.stop();
  });

  const target = () => multiaddr(meshAddresses(server)[0]!);

  it('keeps a slow answer going as long as bytes keep arriving, beyond the stall timeout', async () => {
    const response = await sendRequest(client, target(), TRICKLE, Uint8Array.of(1), { stallTimeoutMs: 2_000, maxResponseBytes: 1024 * 1024 });
    expect(response).toEqual(payload);
  }, 30_000);

  it('abandons a request that receives nothing for the stall timeout', async () => {
    await expect(sendRequest(client, target(), SILENT, Uint8Array.of(1), { stallTimeoutMs: 1_000, maxResponseBytes: 1024 })).rejects.toMatchObject({ code: 'MESH_NO_RESPONSE' });
  }, 30_000);

  it('without a stall timeout, holds a slow answer to the overall timeout', async () => {
    await expect(sendRequest(client, target(), TRICKLE, Uint8Array.of(1), { timeoutMs: 1_000, maxResponseBytes: 1024 * 1024 })).rejects.toMatchObject({ code: 'MESH_NO_RESPONSE' });
  }, 30_000);
});
