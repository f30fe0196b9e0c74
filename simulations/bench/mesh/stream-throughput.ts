import { randomBytes } from 'node:crypto';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generateKeyPair } from '@libp2p/crypto/keys';
import { Agent, request } from 'undici';
import { MemoryChunkStore } from '../../../shared/content/memory-chunk-store.js';
import { sha256, type Digest } from '../../../shared/digest.js';
import { requestChunk, serveChunks } from '../../../shared/mesh/chunk-protocol.js';
import { meshAddresses, startMeshHost } from '../../../shared/mesh/mesh-host.js';
import { PeerAllowlist } from '../../../shared/mesh/peer-allowlist.js';
import { multiaddr } from '@multiformats/multiaddr';
import { benchTls } from './tls-identity.js';

const MiB = 1024 * 1024;
const CHUNKS = 16;

/** Single-stream throughput, bytes per second. */
export interface StreamResult { libp2pBytesPerSecond: number; httpsBytesPerSecond: number }

/** 1 MiB random chunks by digest. */
function makeChunks(): Map<Digest, Buffer> {
  const out = new Map<Digest, Buffer>();
  for (let i = 0; i < CHUNKS; i++) { const b = randomBytes(MiB); out.set(sha256(b), b); }
  return out;
}

/** Requests `total` bytes of chunks one after another (one stream at a time) over libp2p tcp + noise + yamux on loopback. */
async function libp2pThroughput(chunks: Map<Digest, Buffer>, total: number): Promise<number> {
  const [a, b] = [new PeerAllowlist(), new PeerAllowlist()];
  const server = await startMeshHost({ privateKey: await generateKeyPair('Ed25519'), host: '127.0.0.1', port: 0, allowlist: a });
  const client = await startMeshHost({ privateKey: await generateKeyPair('Ed25519'), host: '127.0.0.1', port: 0, allowlist: b });
  try {
    a.replace([client.peerId.toString()]);
    b.replace([server.peerId.toString()]);
    const store = new MemoryChunkStore();
    for (const [d, bytes] of chunks) await store.put(d, bytes);
    await serveChunks(server, { store });
    const target = multiaddr(meshAddresses(server)[0]!);
    const digests = [...chunks.keys()];
    await requestChunk(client, target, { digest: digests[0]!, packageId: 0 }); // connection and handshake outside the timing
    let moved = 0;
    const started = performance.now();
    for (let i = 0; moved < total; i++) moved += (await requestChunk(client, target, { digest: digests[i % digests.length]!, packageId: 0 })).length;
    return moved / ((performance.now() - started) / 1000);
  } finally {
    await client.stop();
    await server.stop();
  }
}

/** GETs `total` bytes of chunks one after another over one keep-alive HTTPS connection to a Node https server on loopback. */
async function httpsThroughput(chunks: Map<Digest, Buffer>, total: number): Promise<number> {
  const tls = benchTls('127.0.0.1');
  const bodies = [...chunks.values()];
  const server = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    const body = bodies[Number(req.url!.slice(1)) % bodies.length]!;
    res.writeHead(200, { 'content-length': String(body.length), 'content-type': 'application/octet-stream' });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const agent = new Agent({ connect: { ca: tls.caPem }, connections: 1 });
  const base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = async (i: number) => Buffer.from(await (await request(`${base}/${i}`, { dispatcher: agent })).body.arrayBuffer()).length;
  try {
    await get(0);
    let moved = 0;
    const started = performance.now();
    for (let i = 0; moved < total; i++) moved += await get(i);
    return moved / ((performance.now() - started) / 1000);
  } finally {
    await agent.close();
    server.closeAllConnections();
    server.close();
  }
}

/** Measures both, on the same chunks, in this process (client and server share one thread in both cases). */
export async function measureStreamThroughput(totalMib: number): Promise<StreamResult> {
  const chunks = makeChunks();
  const total = totalMib * MiB;
  const httpsBytesPerSecond = await httpsThroughput(chunks, total);
  const libp2pBytesPerSecond = await libp2pThroughput(chunks, total);
  return { libp2pBytesPerSecond, httpsBytesPerSecond };
}
