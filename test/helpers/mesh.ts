import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import type { MemoryPackageCatalog } from '../../coordinator/nodes/package-catalog.js';
import { chunkStream, type Chunk } from '../../shared/content/fastcdc.js';
import { signManifest, type Manifest } from '../../shared/content/manifest.js';
import { sha256 } from '../../shared/digest.js';
import { createKeyAndCsr } from '../../shared/pki/csr.js';
import { PROJECT_ROOT } from './cli.js';
import type { TestCoordinator } from './coordinator.js';

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

/** A `homing node` child process. */
export interface NodeProcess { ip: string; dataDir: string; nodeId: number; httpUrl: string; output(): string; stop(signal?: NodeJS.Signals): Promise<void> }

/** Environment that makes a node react within a second or two (tests). */
export const FAST_NODE_ENV = {
  HOMING_PEERS_REFRESH_SECONDS: '0.5', HOMING_DESIRED_REFRESH_SECONDS: '0.5', HOMING_ORIGIN_GRACE_SECONDS: '5',
  HOMING_MIN_FREE_BYTES: '0', HOMING_REVOCATION_CACHE_SECONDS: '0',
};

/** Starts the real CLI as a node on `ip` and waits until it runs. */
export function startNodeProcess(t: TestCoordinator, opts: { ip: string; dataDir: string; token?: string; env?: Record<string, string> }): Promise<NodeProcess> {
  const args = ['--import', 'tsx', 'bin/homing.ts', 'node', '--coordinator', t.url, '--ca-file', join(t.dataDir, 'ca.pem'),
    '--data-dir', opts.dataDir, '--host', opts.ip, '--http-port', '18444', '--p2p-port', '0', ...(opts.token ? ['--token', opts.token] : [])];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT, env: { ...process.env, HOMING_LOG_LEVEL: 'info', ...FAST_NODE_ENV, ...opts.env }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`node on ${opts.ip} did not start:\n${output}`)); }, 45_000);
    child.stderr!.on('data', (d) => {
      output += d;
      const m = /Homing node (\d+) \(\S+\) serving agents at (\S+)/.exec(output);
      if (m && timer) {
        clearTimeout(timer);
        resolve({
          ip: opts.ip, dataDir: opts.dataDir, nodeId: Number(m[1]), httpUrl: m[2]!, output: () => output,
          async stop(signal = 'SIGTERM') { if (child.exitCode === null && child.signalCode === null) child.kill(signal); await exited; },
        });
      }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`node on ${opts.ip} exited with ${code}:\n${output}`)); });
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
