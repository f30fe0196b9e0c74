import { spawn as spawnChild, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { homingCli } from './homing-cli.js';

/** A `homing node` child process that has joined and serves agents. */
export interface NodeProcess {
  ip: string;
  dataDir: string;
  nodeId: number;
  httpUrl: string;
  pid: number;
  /** What the node wrote on stderr so far. */
  output(): string;
  /** Sends `signal` (default SIGTERM) and resolves once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** How to start one node. */
export interface NodeProcessOptions {
  coordinatorUrl: string;
  caFile: string;
  /** Address it listens on and advertises (a building's subnet on loopback). */
  ip: string;
  dataDir: string;
  /** One-time join token; omit to restart a node that has joined before. */
  token?: string;
  /** HTTPS port for agents (default 18444; nodes on distinct addresses share it). */
  httpPort?: number;
  /** Extra CLI options, e.g. `--upload-bytes-per-second`. */
  args?: string[];
  env?: Record<string, string>;
  /** Spawns the child (default `child_process.spawn`): simulations pass their tracked spawner, namespace tests a wrapping one. */
  spawn?: (command: string, args: string[], options: SpawnOptions) => ChildProcess;
  startTimeoutMs?: number;
}

/** Environment that makes a node react within a second or two (tests, simulations). */
export const FAST_NODE_ENV = {
  HOMING_PEERS_REFRESH_SECONDS: '0.5', HOMING_DESIRED_REFRESH_SECONDS: '0.5', HOMING_ORIGIN_GRACE_SECONDS: '5',
  HOMING_MIN_FREE_BYTES: '0', HOMING_REVOCATION_CACHE_SECONDS: '0',
};

const STARTED = /Homing node (\d+) \(\S+\) serving agents at (\S+)/;

/** Starts the real `homing node` CLI on `ip` and resolves once it has joined and serves agents. */
export function startNodeProcess(opts: NodeProcessOptions): Promise<NodeProcess> {
  const cli = homingCli();
  const args = [...cli.args, 'node', '--coordinator', opts.coordinatorUrl, '--ca-file', opts.caFile, '--data-dir', opts.dataDir,
    '--host', opts.ip, '--http-port', String(opts.httpPort ?? 18444), '--p2p-port', '0', ...(opts.token ? ['--token', opts.token] : []), ...(opts.args ?? [])];
  const child = (opts.spawn ?? spawnChild)(cli.command, args, { cwd: cli.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const timeoutMs = opts.startTimeoutMs ?? 45_000;
  let started = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`node on ${opts.ip} did not start within ${timeoutMs / 1000} s:\n${output}`)); }, timeoutMs);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => { clearTimeout(timer); reject(new Error(`node on ${opts.ip} exited with ${signal ?? code}:\n${output}`)); };
    child.stderr!.on('data', (d) => {
      output += d;
      const m = STARTED.exec(output);
      if (!m || started) return;
      started = true;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve({
        ip: opts.ip, dataDir: opts.dataDir, nodeId: Number(m[1]), httpUrl: m[2]!, pid: child.pid!, output: () => output,
        async stop(signal = 'SIGTERM') { if (child.exitCode === null && child.signalCode === null) child.kill(signal); await exited; },
      });
    });
    child.once('exit', onExit);
  });
}
