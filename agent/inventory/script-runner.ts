import { ProcessSpawnError, runGroupProcess } from '../process/run-group-process.js';
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

/** Runs an executable file in its own process group and resolves with its stdout; any failure rejects. */
export async function runScriptFile(path: string, opts: ScriptRunOptions): Promise<string> {
  let r;
  try {
    r = await runGroupProcess(path, { ...opts, overflow: 'kill', stderr: 'tail' });
  } catch (err) {
    if (err instanceof ProcessSpawnError) throw new ExtensionAttributeError('EA_SPAWN_FAILED', err.message);
    throw err;
  }
  if (r.timedOut) throw new ExtensionAttributeError('EA_TIMEOUT', `script timed out after ${opts.timeoutMs} ms`);
  if (r.overflowed) throw new ExtensionAttributeError('EA_OUTPUT_TOO_LARGE', `script output exceeds ${opts.maxOutputBytes} bytes`);
  if (r.exitCode !== 0) {
    const how = r.signal ? `was killed by ${r.signal}` : `exited with status ${r.exitCode}`;
    const tail = r.stderrTail.trim();
    throw new ExtensionAttributeError('EA_EXIT_STATUS', `script ${how}${tail ? `: ${tail}` : ''}`);
  }
  return r.output;
}
