import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { ExtensionAttributeError } from './errors.js';

/** Limits for one script run. */
export interface ScriptRunOptions {
  timeoutMs: number;
  /** Stdout beyond this many bytes is a failure (the script is killed). */
  maxOutputBytes: number;
  signal?: AbortSignal;
  /** After the script exits, how long stray children may keep its stdout open before they are killed. */
  lingerMs?: number;
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

async function spawnGroupLeader(path: string): Promise<ChildProcess> {
  for (let attempt = 0; ; attempt++) {
    // detached: the script leads its own process group, so a timeout can kill its children too.
    const child = spawn(path, [], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], cwd: '/' });
    try {
      await once(child, 'spawn');
      return child;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // ETXTBSY: a concurrent fork elsewhere in this process briefly inherited the script's write fd.
      if (code === 'ETXTBSY' && attempt < 5) { await delay(20 * (attempt + 1)); continue; }
      throw new ExtensionAttributeError('EA_SPAWN_FAILED', `cannot start script: ${code ?? (err as Error).message}`);
    }
  }
}

/** Runs an executable file in its own process group and resolves with its stdout; any failure rejects. */
export async function runScriptFile(path: string, opts: ScriptRunOptions): Promise<string> {
  opts.signal?.throwIfAborted();
  const child = await spawnGroupLeader(path);
  const pid = child.pid;
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let stderrTail = '';
    let failure: unknown;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let lingerTimer: NodeJS.Timeout | undefined;
    let done = false;

    const fail = (err: unknown) => {
      failure ??= err;
      killProcessGroup(pid);
    };
    const timer = setTimeout(() =>
      fail(new ExtensionAttributeError('EA_TIMEOUT', `script timed out after ${opts.timeoutMs} ms`)), opts.timeoutMs);
    const onAbort = () => fail(opts.signal!.reason);
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(lingerTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (failure !== undefined) return reject(failure);
      if (exit && exit.code !== 0) {
        const how = exit.signal ? `was killed by ${exit.signal}` : `exited with status ${exit.code}`;
        const tail = stderrTail.trim();
        return reject(new ExtensionAttributeError('EA_EXIT_STATUS', `script ${how}${tail ? `: ${tail}` : ''}`));
      }
      resolve(Buffer.concat(chunks).toString('utf8'));
    };

    child.stdout!.on('data', (chunk: Buffer) => {
      if (failure !== undefined) return;
      bytes += chunk.length;
      if (bytes > opts.maxOutputBytes) {
        fail(new ExtensionAttributeError('EA_OUTPUT_TOO_LARGE', `script output exceeds ${opts.maxOutputBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderrTail = (stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL);
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
    child.on('error', (err) => fail(new ExtensionAttributeError('EA_SPAWN_FAILED', err.message)));
  });
}
