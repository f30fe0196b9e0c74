/**
 * `npm run bench:failover`: time to download a package (default 256 MiB, env `HOMING_BENCH_FAILOVER_MIB`) over a
 * two-node chain with 4 chunks in flight, once with no failure and once with the primary dying at 50%, in one run.
 * Sources are in-process HTTP servers on loopback: this measures the agent's failover, not node or TLS cost.
 */
import '../../shared/polyfill.js';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChainChunkSource } from '../../agent/packages/chain-chunk-source.js';
import { createSourceFetcher } from '../../agent/packages/source-fetcher.js';
import { sha256, type Digest } from '../../shared/digest.js';
import { silentLogger } from '../../shared/logger.js';
import { NODE_CHUNK_PATH, type DistributionSource } from '../../shared/schemas/segment.js';
import { log } from './progress.js';

const MiB = 1024 * 1024;
const TARGET_RATIO = 1.3;
const IN_FLIGHT = 4;

/** A chunk server that, given `dieAfter`, drops every connection and stops once it has sent that many bytes. */
async function chunkServer(chunks: ReadonlyMap<string, Buffer>, dieAfter = Infinity): Promise<{ server: Server; url: string }> {
  let sent = 0;
  const server = createServer((req, res) => {
    const body = chunks.get(req.url!.slice(NODE_CHUNK_PATH.length))!;
    const from = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0);
    res.writeHead(from ? 206 : 200, { 'content-length': body.length - from });
    const part = body.subarray(from);
    const room = dieAfter - sent;
    sent += part.length;
    if (part.length <= room) return void res.end(part);
    res.write(part.subarray(0, Math.max(0, room)), () => { server.closeAllConnections(); server.close(); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function timeDownload(chunks: ReadonlyMap<string, Buffer>, total: number, primaryDiesAt: number): Promise<number> {
  const primary = await chunkServer(chunks, primaryDiesAt);
  const failover = await chunkServer(chunks);
  const entry = (nodeId: number, baseUrl: string): DistributionSource => ({ nodeId, tier: 'segment', baseUrl, chunkPath: NODE_CHUNK_PATH, reason: 'bench' });
  const fetcher = createSourceFetcher({ ca: '' });
  const source = new ChainChunkSource({ chain: () => [entry(1, primary.url), entry(2, failover.url)], fetch: fetcher.fetch, now: Date.now, logger: silentLogger() });
  const queue = [...chunks].map(([digest, bytes]) => ({ digest: digest as Digest, size: bytes.length }));
  const started = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    for (let c = queue.shift(); c; c = queue.shift()) await source.fetch(c);
  }));
  const ms = performance.now() - started;
  const received = source.takeReceived().reduce((n, s) => n + s.bytes, 0);
  if (received !== total) throw new Error(`received ${received} bytes for ${total}: something was fetched twice`);
  await fetcher.close();
  for (const s of [primary.server, failover.server]) { s.closeAllConnections(); s.close(); }
  return ms;
}

async function main(): Promise<void> {
  const mib = Number(process.env.HOMING_BENCH_FAILOVER_MIB) || 256;
  const chunks = new Map<string, Buffer>();
  for (let i = 0; i < mib; i++) {
    const bytes = randomBytes(MiB);
    chunks.set(sha256(bytes), bytes);
  }
  const total = mib * MiB;
  log(`downloading ${mib} MiB in ${chunks.size} chunks, ${IN_FLIGHT} in flight`);
  await timeDownload(chunks, total, Infinity); // warm-up: JIT and first connections would otherwise count against the clean run
  const clean = await timeDownload(chunks, total, Infinity);
  const failed = await timeDownload(chunks, total, total / 2);
  const ratio = failed / clean;
  console.log(`no failure:            ${(clean / 1000).toFixed(2)} s`);
  console.log(`primary dies at 50%:   ${(failed / 1000).toFixed(2)} s`);
  console.log(`ratio: ${ratio.toFixed(2)}× (target ≤ ${TARGET_RATIO}×) ${ratio <= TARGET_RATIO ? 'OK' : 'OVER TARGET'}`);
}

await main();
