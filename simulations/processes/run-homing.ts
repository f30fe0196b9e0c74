import { spawn as spawnChild, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { homingCli } from './homing-cli.js';

/** Result of a `homing` process that ran to its end. */
export interface CliResult { code: number | null; stdout: string; stderr: string }

/** Runs this install's `homing` CLI with `args` to its end (killed after `timeoutMs`), collecting its output. */
export function runHoming(args: string[], opts: { env?: Record<string, string>; timeoutMs?: number; spawn?: (command: string, args: string[], options: SpawnOptions) => ChildProcess } = {}): Promise<CliResult> {
  const cli = homingCli();
  const timeoutMs = opts.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const child = (opts.spawn ?? spawnChild)(cli.command, [...cli.args, ...args], {
      cwd: cli.cwd, env: { ...process.env, HOMING_LOG_LEVEL: 'warn', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => { stdout += d; });
    child.stderr!.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`homing ${args.join(' ')} timed out after ${timeoutMs / 1000} s\n${stderr}`)); }, timeoutMs);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}
