import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { AppError } from '../../shared/errors.js';

/** An executable could not be started (missing interpreter, not executable…). */
export class ProcessSpawnError extends AppError {
  constructor(message: string) { super('PROCESS_SPAWN_FAILED', message, 500); }
}

/** How to run one executable in its own process group. */
export interface GroupProcessOptions {
  args?: readonly string[];
  /** The whole environment of the process (default: the agent's). */
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Output kept; what comes beyond it is handled by `overflow`. */
  maxOutputBytes: number;
  /** `kill`: stop the process when its output passes the cap; `truncate`: keep it running and drop the excess. */
  overflow: 'kill' | 'truncate';
  /** `tail`: output is stdout, stderr only keeps a short tail; `merge`: stderr goes into the output too. */
  stderr: 'tail' | 'merge';
  signal?: AbortSignal;
  /** After the process exits, how long stray children may keep its pipes open before the group is killed. */
  lingerMs?: number;
  /** Written to stdin (secrets go here, never in argv); without it stdin is closed. */
  input?: string;
  /** Run as this user and group (the agent must be root). */
  uid?: number;
  gid?: number;
}

/** How a process run ended. */
export interface GroupProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  stderrTail: string;
  /** Output passed the cap (and, with `overflow: 'kill'`, the process was killed). */
  overflowed: boolean;
  /** The timeout passed and the process group was killed. */
  timedOut: boolean;
}

const STDERR_TAIL = 2048;

/** Kills the whole process group led by `pid`; a group that is already gone is fine. */
export function killProcessGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

async function spawnGroupLeader(path: string, opts: GroupProcessOptions): Promise<ChildProcess> {
  for (let attempt = 0; ; attempt++) {
    // detached: the process leads its own group, so a timeout can kill its children too.
    const child = spawn(path, [...(opts.args ?? [])], {
      detached: true, stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], cwd: '/', env: opts.env ?? process.env,
      ...(opts.uid === undefined ? {} : { uid: opts.uid }), ...(opts.gid === undefined ? {} : { gid: opts.gid }),
    });
    try {
      await once(child, 'spawn');
      // A tool that exits without reading its input must not crash the agent with EPIPE.
      child.stdin?.on('error', () => {});
      child.stdin?.end(opts.input);
      return child;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // ETXTBSY: a concurrent fork elsewhere in this process briefly inherited the script's write fd.
      if (code === 'ETXTBSY' && attempt < 5) { await delay(20 * (attempt + 1)); continue; }
      throw new ProcessSpawnError(`cannot start ${path}: ${code ?? (err as Error).message}`);
    }
  }
}

/**
 * Runs an executable in its own process group with a timeout and an output cap, killing the whole group on
 * timeout, abort (rejects with the abort reason) or, with `overflow: 'kill'`, too much output. Memory stays
 * bounded by the cap whatever the process prints.
 */
export async function runGroupProcess(path: string, opts: GroupProcessOptions): Promise<GroupProcessResult> {
  opts.signal?.throwIfAborted();
  const child = await spawnGroupLeader(path, opts);
  const pid = child.pid;
  return new Promise<GroupProcessResult>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let stderrTail = '';
    let overflowed = false;
    let timedOut = false;
    let aborted = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } = { code: null, signal: null };
    let lingerTimer: NodeJS.Timeout | undefined;
    let done = false;

    const timer = setTimeout(() => { timedOut = true; killProcessGroup(pid); }, opts.timeoutMs);
    const onAbort = () => { aborted = true; killProcessGroup(pid); };
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(lingerTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (aborted) return reject(opts.signal!.reason);
      resolve({
        exitCode: exit.code, signal: exit.signal, output: Buffer.concat(chunks).toString('utf8'), stderrTail, overflowed, timedOut,
      });
    };
    const collect = (chunk: Buffer) => {
      const room = opts.maxOutputBytes - bytes;
      if (chunk.length > room) {
        if (!overflowed && room > 0) chunks.push(chunk.subarray(0, room));
        bytes = opts.maxOutputBytes;
        if (!overflowed && opts.overflow === 'kill') killProcessGroup(pid);
        overflowed = true;
        return;
      }
      bytes += chunk.length;
      chunks.push(chunk);
    };

    child.stdout!.on('data', collect);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderrTail = (stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL);
      if (opts.stderr === 'merge') collect(chunk);
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // A background child may hold the pipes open forever; give it a moment, then clean up the group.
      lingerTimer = setTimeout(() => {
        killProcessGroup(pid);
        child.stdout!.destroy();
        child.stderr!.destroy();
        finish();
      }, opts.lingerMs ?? 1000);
    });
    child.on('close', finish);
    child.on('error', () => killProcessGroup(pid));
  });
}
