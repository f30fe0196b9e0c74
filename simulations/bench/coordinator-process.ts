import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { homingCli } from '../processes/homing-cli.js';
import { onLines } from './line-reader.js';
import type { Resources } from './resources.js';
import type { ServerUnderTest } from './server-under-test.js';

/** A coordinator running as a child process, with what a client needs to reach it. */
export interface CoordinatorProcess extends ServerUnderTest {
  dataDir: string;
  caPem: string;
  adminPassword: string;
  /** Warning/error log lines the coordinator wrote, counted by message. */
  logCounts(): Map<string, number>;
}

/** Options for `startCoordinatorProcess`. */
export interface CoordinatorProcessOptions {
  repoRoot: string;
  /** Writes a V8 CPU profile of the coordinator into this dir when it stops. */
  cpuProfileDir?: string;
  /** Keep tsx's source-mapped stack traces (default: off, as in production). */
  sourceMaps?: boolean;
  log: (line: string) => void;
  startTimeoutMs?: number;
  /** Extra environment (e.g. `HOMING_NODE_HEARTBEAT_SECONDS`). */
  env?: Record<string, string>;
  /** HTTPS port (default 0: any free one). */
  port?: number;
  /** Address to listen on (default 127.0.0.1), e.g. a namespace topology's bridge address. */
  host?: string;
  /** A data dir to use and keep (default: a new temp dir, removed at cleanup). */
  dataDir?: string;
  /** The admin password (default: a new random one); a kept data dir needs the one its admin was created with. */
  adminPassword?: string;
}

/** Groups a pino JSON line by message and error message; other lines stand for themselves. */
function logKey(line: string): string {
  try {
    const j = JSON.parse(line) as { msg?: string; err?: { message?: string; code?: string } };
    return [j.msg, j.err?.message, j.err?.code].filter(Boolean).join(': ');
  } catch {
    return line.trim().slice(0, 200);
  }
}

/**
 * Starts `homing coordinator` (the real CLI, SQLite in a temp data dir, port 0 on 127.0.0.1) as a
 * child `node` process — not via the tsx CLI, so the child's pid is the server's own and its CPU
 * can be read from /proc. Resolves once it prints its URL.
 */
export async function startCoordinatorProcess(resources: Resources, opts: CoordinatorProcessOptions): Promise<CoordinatorProcess> {
  const dataDir = opts.dataDir ?? resources.tempDir('homing-bench-coordinator-');
  const adminPassword = opts.adminPassword ?? randomBytes(18).toString('base64url');
  const cli = homingCli();
  const nodeArgs = [...cli.nodeArgs];
  if (cli.fromSource && !opts.sourceMaps) nodeArgs.push('--import', join(opts.repoRoot, 'simulations/bench/production-stacks.ts'));
  if (opts.cpuProfileDir) nodeArgs.push('--cpu-prof', '--cpu-prof-dir', opts.cpuProfileDir);
  const child = resources.spawn(process.execPath, [
    ...nodeArgs, cli.script, 'coordinator', '--data-dir', dataDir, '--port', String(opts.port ?? 0), '--host', opts.host ?? '127.0.0.1',
  ], {
    cwd: opts.repoRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, HOMING_ADMIN_PASSWORD: adminPassword, HOMING_P2P_PORT: '0', HOMING_LOG_LEVEL: process.env.HOMING_LOG_LEVEL ?? 'warn', ...opts.env },
  });

  const counts = new Map<string, number>();
  const url = await new Promise<string>((resolve, reject) => {
    const tail: string[] = [];
    const timer = setTimeout(() => reject(new Error(`coordinator did not start within ${(opts.startTimeoutMs ?? 60_000) / 1000} s`)), opts.startTimeoutMs ?? 60_000);
    onLines(child.stderr, (line) => {
      const match = /Homing coordinator at (https:\/\/\S+)/.exec(line);
      if (match) { clearTimeout(timer); resolve(match[1]!); return; }
      tail.push(line);
      if (tail.length > 20) tail.shift();
      if (!line.trim() || /^\s+at /.test(line)) return;
      const key = logKey(line);
      const seen = counts.get(key) ?? 0;
      counts.set(key, seen + 1);
      if (!seen) opts.log(`[coordinator] ${line.length > 400 ? `${line.slice(0, 400)}…` : line}${/^\{/.test(line) ? ' (repeats are counted, not shown)' : ''}`);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`coordinator exited (${signal ?? code}) before listening:\n${tail.join('\n')}`));
    });
  });

  return {
    label: 'coordinator',
    url,
    dataDir,
    adminPassword,
    caPem: readFileSync(join(dataDir, 'ca.pem'), 'utf8'),
    logCounts: () => counts,
    pids: () => (child.pid !== undefined && child.exitCode === null ? [child.pid] : []),
    stop: () => resources.stop(child, 15_000),
  };
}
