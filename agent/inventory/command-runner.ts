import { execFile } from 'node:child_process';
import { CommandError } from './errors.js';

/** Options for one command run. */
export interface RunOptions {
  timeoutMs: number;
  maxBuffer: number;
  signal?: AbortSignal;
}

/** Runs a program (no shell) and resolves with its stdout; rejects with `CommandError` or the abort reason. */
export type CommandRunner = (file: string, args: readonly string[], opts: RunOptions) => Promise<string>;

/** The real runner: `execFile` with a timeout, an output limit and abort support. */
export const execFileRunner: CommandRunner = (file, args, opts) =>
  new Promise((resolve, reject) => {
    execFile(file, [...args], {
      timeout: opts.timeoutMs,
      maxBuffer: opts.maxBuffer,
      signal: opts.signal,
      encoding: 'utf8',
      killSignal: 'SIGKILL',
      // Stable, parseable output regardless of the agent's locale.
      env: { ...process.env, LC_ALL: 'C.UTF-8' },
    }, (err, stdout) => {
      if (!err) return resolve(stdout);
      if (opts.signal?.aborted) return reject(opts.signal.reason);
      const e = err as NodeJS.ErrnoException & { killed?: boolean };
      if (e.code === 'ENOENT') return reject(new CommandError('COMMAND_NOT_FOUND', `${file}: not found`));
      if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
        return reject(new CommandError('COMMAND_FAILED', `${file}: output exceeds ${opts.maxBuffer} bytes`));
      }
      if (e.killed) return reject(new CommandError('COMMAND_TIMEOUT', `${file}: timed out after ${opts.timeoutMs} ms`));
      reject(new CommandError('COMMAND_FAILED', `${file}: ${e.message.split('\n')[0]}`));
    });
  });
