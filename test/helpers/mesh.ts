import { spawn, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import type { MemoryPackageCatalog } from '../../coordinator/nodes/package-catalog.js';
import { chunkStream, type Chunk } from '../../shared/content/fastcdc.js';
import { signManifest, type Manifest } from '../../shared/content/manifest.js';
import { sha256 } from '../../shared/digest.js';
import { createKeyAndCsr } from '../../shared/pki/csr.js';
import { FAST_NODE_ENV, startNodeProcess as startHomingNode, type NodeProcess } from '../../simulations/processes/node-process.js';
import type { TestCoordinator } from './coordinator.js';

export type { NodeProcess };

/** A package staged in the coordinator's origin store and catalog. */
export interface StagedPackage { id: number; manifest: Manifest; chunks: Chunk[]; size: number }

/** Cuts `size` random bytes into chunks, signs a manifest, puts the chunks in the origin store and the manifest in the catalog. */
export async function stagePackage(t: TestCoordinator, catalog: MemoryPackageCatalog, id: number, size: number): Promise<StagedPackage> {
  const data = randomBytes(size);
  const chunks: Chunk[] = [];
  for await (const c of chunkStream((async function* () { yield data; })())) chunks.push(c);
  const manifest: Manifest = {
    schema: 1, name: `pkg-${id}`, version: '1.0', revision: 1, targetPrefix: '/opt/test', payload: { digest: sha256(data), size },
    files: [], chunks: chunks.map((c) => ({ digest: c.digest, size: c.length })),
  };
  for (const c of chunks) await t.coordinator.originStore.put(c.digest, c.data);
  catalog.add(id, signManifest(manifest, t.coordinator.keys.packageKey));
  return { id, manifest, chunks, size };
}

/**
 * Starts the real CLI as a node on `ip` joined to the test coordinator, with fast refresh timers, and waits until it runs;
 * `argv` wraps its command line (a network namespace host's `argv` runs it inside that namespace).
 */
export function startNodeProcess(t: TestCoordinator, opts: {
  ip: string; dataDir: string; token?: string; env?: Record<string, string>; argv?: (command: string, args: string[]) => string[];
  args?: string[]; httpPort?: number;
}): Promise<NodeProcess> {
  const wrap = opts.argv;
  return startHomingNode({
    coordinatorUrl: t.url, caFile: join(t.dataDir, 'ca.pem'), ip: opts.ip, dataDir: opts.dataDir, token: opts.token, args: opts.args, httpPort: opts.httpPort,
    env: { HOMING_LOG_LEVEL: 'info', ...FAST_NODE_ENV, ...opts.env },
    ...(wrap ? { spawn: (command: string, args: string[], options: SpawnOptions) => { const [c, ...a] = wrap(command, args); return spawn(c!, a, options); } } : {}),
  });
}

/** Creates a node through the admin API and returns its id and join token. */
export async function createNode(t: TestCoordinator, name: string): Promise<{ id: number; token: string }> {
  const res = await t.api('POST', '/api/v1/nodes', { name });
  if (res.status !== 201) throw new Error(`node creation failed: ${JSON.stringify(res.body)}`);
  return { id: res.body.id, token: res.body.token };
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) { last = err; }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Enrolls a device through the API and returns its TLS identity (as an agent would hold it). */
export async function enrollDevice(t: TestCoordinator): Promise<{ computerId: number; cert: string; key: string }> {
  const token = (await t.api('POST', '/api/v1/enrollment-tokens', { uses: 1, expiresInSeconds: 3600 })).body.token;
  const { keyPem, csrPem } = await createKeyAndCsr('device');
  const res = await t.api('POST', '/device/v1/enroll', { token, csr: csrPem }, { token: null });
  if (res.status !== 201) throw new Error(`enroll failed: ${JSON.stringify(res.body)}`);
  return { computerId: res.body.computerId, cert: res.body.certificate, key: keyPem };
}

/** GET from a node's agent server with a client certificate. */
export async function agentGet(url: string, caPem: string, tls: { cert: string; key: string } | undefined, headers: Record<string, string> = {}) {
  const dispatcher = new Agent({ connect: { ca: caPem, ...(tls ?? {}) } });
  try {
    const res = await request(url, { dispatcher, headers });
    return { status: res.statusCode, headers: res.headers, body: Buffer.from(await res.body.arrayBuffer()) };
  } finally {
    await dispatcher.close();
  }
}
