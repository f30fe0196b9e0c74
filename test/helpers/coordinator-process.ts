import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Agent, request } from 'undici';
import { PROJECT_ROOT } from './cli.js';

/** A `homing coordinator` child process. */
export interface CoordinatorProcess { url: string; child: ChildProcess; stderr(): string; kill(signal?: NodeJS.Signals): Promise<void> }

/** A TCP port that was free a moment ago (for coordinators that must know each other's URLs before starting). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Starts the real CLI coordinator on 127.0.0.1:`port` and resolves once `/healthz` answers. */
export async function spawnCoordinator(opts: { port: number; dataDir: string; env: Record<string, string> }): Promise<CoordinatorProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/homing.ts', 'coordinator', '--data-dir', opts.dataDir, '--port', String(opts.port), '--host', '127.0.0.1'], {
    cwd: PROJECT_ROOT, env: { ...process.env, HOMING_LOG_LEVEL: 'warn', HOMING_P2P_PORT: '0', ...opts.env }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += d; });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `https://127.0.0.1:${opts.port}`;
  const agent = new Agent({ connect: { rejectUnauthorized: false } });
  try {
    for (const deadline = Date.now() + 90_000; ;) {
      if (child.exitCode !== null) throw new Error(`coordinator on ${opts.port} exited ${child.exitCode}:\n${stderr}`);
      // Bounded: a starting coordinator answers 503, a stuck one must not hang the test.
      const ok = await request(`${url}/healthz`, { dispatcher: agent, signal: AbortSignal.timeout(3000) }).then((r) => r.body.text().then(() => r.statusCode === 200), () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`coordinator on ${opts.port} did not start:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  } finally {
    await agent.close();
  }
  return {
    url, child, stderr: () => stderr,
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
