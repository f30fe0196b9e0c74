import { execFileSync } from 'node:child_process';

/** An `ip` or `tc` command failed; the message carries the command line and its stderr. */
export class NetCommandError extends Error {
  readonly code = 'NET_COMMAND_FAILED';
}

/** Runs `ip`/`tc` synchronously (setup and teardown must also work inside an exit handler); returns stdout. */
export function run(command: 'ip' | 'tc', args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new NetCommandError(`${command} ${args.join(' ')}: ${(e.stderr || e.message).trim()}`);
  }
}

/** Like `run`, ignoring failures (teardown of something that may already be gone). */
export function runQuietly(command: 'ip' | 'tc', args: string[]): void {
  try { run(command, args); } catch { /* already gone */ }
}
