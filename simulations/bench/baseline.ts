import { existsSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onLines } from './line-reader.js';
import { nginxConfig } from './nginx-config.js';
import { childPids } from './proc-cpu.js';
import type { Resources } from './resources.js';
import type { ServerUnderTest } from './server-under-test.js';

/** Which baseline to run: nginx when installed (auto), or forced. */
export type BaselineChoice = 'auto' | 'nginx' | 'node';

/** What a baseline needs: the coordinator's TLS files and the answer to serve. */
export interface BaselineInput {
  repoRoot: string;
  /** Coordinator data dir holding server.pem, server-key.pem and ca.pem. */
  dataDir: string;
  body: string;
  nginxWorkers: number;
  log: (line: string) => void;
}

/** The nginx binary: `$NGINX`, then PATH, then the Debian locations. */
export function findNginx(): string | undefined {
  const candidates = [process.env.NGINX, ...(process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'nginx')), '/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'];
  return candidates.find((c): c is string => !!c && existsSync(c));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address() as AddressInfo; s.close(() => resolve(port)); });
  });
}

async function waitForPort(port: number, isDead: () => string | undefined, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = isDead();
    if (dead) throw new Error(dead);
    const ok = await new Promise<boolean>((resolve) => {
      const sock = createConnection({ port, host: '127.0.0.1' }, () => { sock.destroy(); resolve(true); });
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listening on 127.0.0.1:${port} after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function startNginx(resources: Resources, binary: string, input: Pick<BaselineInput, 'dataDir' | 'body' | 'nginxWorkers' | 'log'> & { root?: string }): Promise<ServerUnderTest> {
  const dir = resources.tempDir('homing-bench-nginx-');
  const bodyFile = join(dir, 'checkin.json');
  writeFileSync(bodyFile, input.body);
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, nginxConfig({
    dir, port, bodyFile, body: input.body, workers: input.nginxWorkers, ...(input.root !== undefined ? { root: input.root } : {}),
    certFile: join(input.dataDir, 'server.pem'), keyFile: join(input.dataDir, 'server-key.pem'), caFile: join(input.dataDir, 'ca.pem'),
  }));
  const child = resources.spawn(binary, ['-p', dir, '-c', conf, '-e', join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  const errors: string[] = [];
  onLines(child.stderr, (line) => { errors.push(line); input.log(`[nginx] ${line}`); });
  await waitForPort(port, () => (child.exitCode !== null ? `nginx exited (${child.exitCode}): ${errors.join(' ')}` : undefined));
  const master = child.pid!;
  return {
    label: 'nginx', url: `https://127.0.0.1:${port}`,
    pids: () => (child.exitCode === null ? [master, ...childPids(master)] : []),
    stop: () => resources.stop(child),
  };
}

/** nginx on the coordinator's certificates (`ssl_verify_client on`) serving the files under `root`; fails when nginx is not installed. */
export async function startStaticNginx(resources: Resources, input: Pick<BaselineInput, 'dataDir' | 'nginxWorkers' | 'log'> & { root: string }): Promise<ServerUnderTest> {
  const binary = findNginx();
  if (!binary) throw new Error('nginx is not installed (apt-get install -y nginx, or set $NGINX)');
  input.log(`baseline: nginx (${binary}, worker_processes ${input.nginxWorkers}) serving ${input.root} with ssl_verify_client on`);
  return startNginx(resources, binary, { ...input, body: '' });
}

export async function startNodeBaseline(resources: Resources, input: BaselineInput): Promise<ServerUnderTest> {
  const dir = resources.tempDir('homing-bench-node-');
  const bodyFile = join(dir, 'checkin.json');
  writeFileSync(bodyFile, input.body);
  // Next to this module: TypeScript under tsx, JavaScript in a build.
  const fromSource = import.meta.url.endsWith('.ts');
  const child = resources.spawn(process.execPath, [
    ...(fromSource ? ['--import', 'tsx'] : []), fileURLToPath(new URL(`./baseline-node-server.${fromSource ? 'ts' : 'js'}`, import.meta.url)),
    join(input.dataDir, 'server.pem'), join(input.dataDir, 'server-key.pem'), join(input.dataDir, 'ca.pem'), bodyFile,
  ], { cwd: input.repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    onLines(child.stdout, (line) => { try { resolve((JSON.parse(line) as { port: number }).port); } catch { /* not the port line */ } });
    child.once('exit', (code) => reject(new Error(`node baseline exited (${code}) before listening`)));
  });
  return {
    label: 'node-https', url: `https://127.0.0.1:${port}`,
    pids: () => (child.pid !== undefined && child.exitCode === null ? [child.pid] : []),
    stop: () => resources.stop(child),
  };
}

/**
 * Starts the baseline server on the coordinator's own certificates: nginx (`ssl_verify_client on`)
 * when installed or forced, else a bare Node https handler in its own process — saying which and why.
 */
export async function startBaseline(resources: Resources, choice: BaselineChoice, input: BaselineInput): Promise<ServerUnderTest> {
  if (choice !== 'node') {
    const binary = findNginx();
    if (binary) {
      input.log(`baseline: nginx (${binary}, worker_processes ${input.nginxWorkers}) with ssl_verify_client on`);
      return startNginx(resources, binary, input);
    }
    if (choice === 'nginx') throw new Error('--baseline nginx: nginx is not installed (apt-get install -y nginx, or set $NGINX)');
    input.log('baseline: nginx not found — falling back to a bare Node https handler in its own process (figures are NOT comparable to the nginx targets)');
  } else {
    input.log('baseline: bare Node https handler (--baseline node)');
  }
  return startNodeBaseline(resources, input);
}
