import { createReadStream, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { SystemClock } from '../../../shared/clock.js';
import { digestStream, type Digest } from '../../../shared/digest.js';
import { TokenBucket } from '../../../shared/mesh/token-bucket.js';
import { homingCli } from '../../processes/homing-cli.js';
import { onLines } from '../line-reader.js';
import { log } from '../progress.js';
import type { Resources } from '../resources.js';
import type { Swarm } from './swarm.js';
import { benchTls } from './tls-identity.js';

// Next to this module: TypeScript under tsx, JavaScript in a build.
const CLIENT = fileURLToPath(new URL(`./hub-client.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url));

/**
 * What the hub-and-spoke copy measured: `measuredMs` to send `bytesEach` to every receiver, and `makespanMs`, that
 * time scaled to the whole file (the origin's capped link carries N copies: the time grows in proportion to the bytes).
 */
export interface HubResult { makespanMs: number; measuredMs: number; receivers: number; bytesEach: number; fileBytes: number }

/** SHA-256 of a file's first `bytes` bytes, streamed. */
async function prefixDigest(path: string, bytes: number): Promise<Digest> {
  const h = digestStream();
  for await (const block of createReadStream(path, { end: bytes - 1, highWaterMark: 1024 * 1024 })) h.update(block as Buffer);
  return h.digest();
}

/**
 * The origin copies the file (the package's content: within a few KiB of its payload), or its first `copyBytes`, to
 * every node at once over HTTPS (Node's https server where the origin sits, so under the origin's cap: the bridge's tbf,
 * or an in-process token bucket); each receiver hashes what it gets. Returns the time until the last receiver has it all.
 */
export async function measureHubAndSpoke(resources: Resources, swarm: Swarm, payloadFile: string, uploadBytesPerSecond: number, copyBytes = Infinity): Promise<HubResult> {
  const fileBytes = (await stat(payloadFile)).size;
  const size = Math.min(fileBytes, copyBytes);
  const digest = await prefixDigest(payloadFile, size);
  const tls = benchTls(swarm.serverHost);
  const caFile = join(resources.tempDir('homing-bench-hub-'), 'ca.pem');
  writeFileSync(caFile, tls.caPem);
  const cap = swarm.shaping.kind === 'in-process' ? new TokenBucket(uploadBytesPerSecond, 256 * 1024, new SystemClock()) : undefined;
  const server = createServer({ cert: tls.certPem, key: tls.keyPem }, (_req, res) => {
    res.writeHead(200, { 'content-length': String(size), 'content-type': 'application/octet-stream' });
    const file = createReadStream(payloadFile, { end: size - 1, highWaterMark: 256 * 1024 });
    if (!cap) return void file.pipe(res);
    Readable.from((async function* () { for await (const block of file) { await cap.take((block as Buffer).length); yield block; } })()).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, swarm.serverHost, r));
  const url = `https://${swarm.serverHost}:${(server.address() as AddressInfo).port}/payload`;
  try {
    const cli = homingCli();
    const clients = swarm.nodes.map((_, i) => {
      const [c, ...a] = swarm.argv(i, process.execPath, [...cli.nodeArgs, CLIENT, url, caFile]);
      const child = resources.spawn(c!, a, { cwd: cli.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
      let errors = '';
      child.stderr!.on('data', (d) => { errors += d; });
      const ready = new Promise<void>((resolve, reject) => {
        onLines(child.stdout, (line) => { if (line === 'ready') resolve(); });
        child.once('exit', (code) => reject(new Error(`hub client ${i + 1} exited with ${code}: ${errors}`)));
      });
      const result = new Promise<{ bytes: number; digest: string; ms: number }>((resolve, reject) => {
        onLines(child.stdout, (line) => { if (line.startsWith('{')) resolve(JSON.parse(line)); });
        child.once('exit', (code) => { if (code !== 0) reject(new Error(`hub client ${i + 1} exited with ${code}: ${errors}`)); });
      });
      return { child, ready, result };
    });
    await Promise.all(clients.map((c) => c.ready));
    log(`hub-and-spoke: the origin sends ${(size / 1024 / 1024).toFixed(0)} MiB to each of ${clients.length} nodes at once…`);
    const started = performance.now();
    for (const c of clients) c.child.stdin!.end('go\n');
    const results = await Promise.all(clients.map((c) => c.result));
    const measuredMs = performance.now() - started;
    for (const [i, r] of results.entries()) {
      if (r.bytes !== size || r.digest !== digest) throw new Error(`hub client ${i + 1} received ${r.bytes} bytes with digest ${r.digest}, expected ${size} and ${digest}`);
    }
    return { makespanMs: measuredMs * (fileBytes / size), measuredMs, receivers: results.length, bytesEach: size, fileBytes };
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
