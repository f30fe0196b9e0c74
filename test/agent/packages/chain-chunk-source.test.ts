import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ChainChunkSource } from '../../../agent/packages/chain-chunk-source.js';
import { createSourceFetcher, type SourceLimits } from '../../../agent/packages/source-fetcher.js';
import { HashWorkers, type ChunkHasher } from '../../../shared/content/hash-workers.js';
import { sha256 } from '../../../shared/digest.js';
import { silentLogger } from '../../../shared/logger.js';
import type { DistributionSource } from '../../../shared/schemas/segment.js';

const LIMITS: SourceLimits = { connectMs: 500, firstByteMs: 400, idleMs: 400, minBytesPerSecond: 256 * 1024, graceMs: 400 };
const chunks = Array.from({ length: 8 }, () => randomBytes(200_000)).map((bytes) => ({ bytes, digest: sha256(bytes), size: bytes.length }));
const byDigest = new Map(chunks.map((c) => [c.digest as string, c.bytes]));
const servers: Server[] = [];
const fetchers: { close(): Promise<void> }[] = [];

/** A chunk server; `behave` may take over a request (stall, die, trickle) and returns true when it did. */
async function chunkServer(behave: (req: IncomingMessage, res: ServerResponse, body: Buffer) => boolean = () => false) {
  const log = { requests: [] as string[], bytes: 0 };
  const server = createServer((req, res) => {
    const body = byDigest.get(req.url!.split('/').pop()!)!;
    log.requests.push(`${req.url!.slice(-6)} ${req.headers.range ?? ''}`.trim());
    if (behave(req, res, body)) return;
    const from = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0);
    res.writeHead(from ? 206 : 200, { 'content-length': body.length - from });
    log.bytes += body.length - from;
    res.end(body.subarray(from));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const entry = (nodeId: number | null): DistributionSource => ({
    nodeId, tier: nodeId === null ? 'origin' : 'segment', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, chunkPath: '/v1/chunks/', reason: 'test',
  });
  return { server, log, entry };
}

function chainSource(chain: DistributionSource[], hasher?: ChunkHasher) {
  const fetcher = createSourceFetcher({ ca: '' }, LIMITS);
  fetchers.push(fetcher);
  return new ChainChunkSource({ chain: () => chain, fetch: fetcher.fetch, now: Date.now, logger: silentLogger(), ...(hasher ? { hasher } : {}) });
}

afterEach(async () => {
  for (const f of fetchers.splice(0)) await f.close();
  for (const s of servers.splice(0)) { s.closeAllConnections(); s.close(); }
});

describe('ChainChunkSource', () => {
  it('resumes a chunk from the failover with Range when the primary dies mid-chunk', async () => {
    const primary = await chunkServer((_req, res, body) => {
      res.writeHead(200, { 'content-length': body.length });
      res.write(body.subarray(0, 65_536), () => setTimeout(() => res.destroy(), 20));
      return true;
    });
    const failover = await chunkServer();
    const source = chainSource([primary.entry(1), failover.entry(2)]);
    const got = await source.fetch(chunks[0]!);
    expect(Buffer.compare(got, chunks[0]!.bytes)).toBe(0);
    expect(failover.log.requests).toEqual([`${chunks[0]!.digest.slice(-6)} bytes=65536-`]);
    expect(source.takeReceived()).toEqual([{ nodeId: 1, bytes: 65_536 }, { nodeId: 2, bytes: 200_000 - 65_536 }]);
  });

  it('finishes from the failover when the primary is stopped mid-download, never re-fetching verified chunks', async () => {
    let served = 0;
    const primary = await chunkServer(() => {
      if (++served <= 3) return false;
      primary.server.closeAllConnections();
      primary.server.close();
      return true;
    });
    const failover = await chunkServer();
    const source = chainSource([primary.entry(1), failover.entry(2), (await chunkServer()).entry(null)]);
    const queue = [...chunks];
    const results = new Map<string, Buffer>();
    await Promise.all(Array.from({ length: 4 }, async () => {
      for (let c = queue.shift(); c; c = queue.shift()) results.set(c.digest, Buffer.from(await source.fetch(c)));
    }));
    for (const c of chunks) expect(Buffer.compare(results.get(c.digest)!, c.bytes)).toBe(0);
    const received = source.takeReceived();
    expect(received.reduce((n, s) => n + s.bytes, 0)).toBe(8 * 200_000);
    expect(received.find((s) => s.nodeId === 1)!.bytes).toBe(3 * 200_000);
    expect(failover.log.requests).toHaveLength(5);
  });

  it('skips a stalled source (accepts, sends nothing) and a trickling one within their limits', async () => {
    const stalled = await chunkServer(() => true);
    const trickle = await chunkServer((_req, res, body) => {
      res.writeHead(200, { 'content-length': body.length });
      let at = 0;
      const timer = setInterval(() => { if (res.destroyed) clearInterval(timer); else res.write(body.subarray(at, (at += 1024))); }, 100);
      res.on('close', () => clearInterval(timer));
      return true;
    });
    const good = await chunkServer();
    const source = chainSource([stalled.entry(1), trickle.entry(2), good.entry(3)]);
    const started = Date.now();
    expect(Buffer.compare(await source.fetch(chunks[1]!), chunks[1]!.bytes)).toBe(0);
    expect(Date.now() - started).toBeLessThan(3000);
    // Both stay marked bad for the rest of the run: the next chunk goes straight to the good source.
    await source.fetch(chunks[2]!);
    expect([stalled.log.requests.length, trickle.log.requests.length, good.log.requests.length]).toEqual([1, 1, 2]);
  });

  it('refetches a chunk whole from the next source when it fails its digest, and fails when every source does', async () => {
    const corrupt = await chunkServer((_req, res, body) => { res.writeHead(200); res.end(Buffer.alloc(body.length)); return true; });
    const good = await chunkServer();
    expect(Buffer.compare(await chainSource([corrupt.entry(1), good.entry(2)]).fetch(chunks[3]!), chunks[3]!.bytes)).toBe(0);
    expect(good.log.requests).toEqual([chunks[3]!.digest.slice(-6)]);
    const dead = await chunkServer((_req, res) => { res.writeHead(503); res.end(); return true; });
    await expect(chainSource([dead.entry(1), corrupt.entry(null)]).fetch(chunks[4]!)).rejects.toMatchObject({ code: 'NO_SOURCE' });
  });

  it('verifies on hash worker threads just the same: a corrupt chunk is refetched, an intact one returned', async () => {
    const workers = new HashWorkers(1);
    try {
      const corrupt = await chunkServer((_req, res, body) => { res.writeHead(200); res.end(Buffer.alloc(body.length)); return true; });
      const good = await chunkServer();
      const source = chainSource([corrupt.entry(1), good.entry(2)], workers);
      expect(Buffer.compare(await source.fetch(chunks[5]!), chunks[5]!.bytes)).toBe(0);
      expect(Buffer.compare(await source.fetch(chunks[6]!), chunks[6]!.bytes)).toBe(0);
      expect(corrupt.log.requests).toHaveLength(1);
      expect(good.log.requests).toHaveLength(2);
    } finally {
      await workers.close();
    }
  });

  it('fails over from a source that sends more bytes than the chunk has', async () => {
    const chunk = chunks[7]!;
    const longer = Buffer.concat([chunk.bytes, Buffer.from('extra')]);
    const source = new ChainChunkSource({
      chain: () => [{ nodeId: 1, tier: 'segment', baseUrl: 'http://127.0.0.1:9/', chunkPath: '/v1/chunks/', reason: 'test' }, { nodeId: null, tier: 'origin', baseUrl: 'http://127.0.0.1:10/', chunkPath: '/v1/chunks/', reason: 'test' }],
      // A fetcher that does not itself stop at maxBytes: the source must.
      fetch: async (url, from, _max, onPart) => { onPart((url.includes(':9/') ? longer : chunk.bytes).subarray(from)); },
      now: Date.now, logger: silentLogger(),
    });
    expect(Buffer.compare(await source.fetch(chunk), chunk.bytes)).toBe(0);
    expect(source.takeReceived()).toEqual([{ nodeId: null, bytes: chunk.size }]);
  });
});
