import { AppError } from '../../shared/errors.js';
import { MAX_ITEM_OUTPUT } from '../../shared/schemas/policy-results.js';
import { ProcessSpawnError, runGroupProcess } from '../process/run-group-process.js';

/** How a system tool run ended: exit code (null when killed), merged stdout + stderr, whether it timed out. */
export interface ToolResult {
  code: number | null; output: string; timedOut: boolean;
  /** Output passed the item output cap and was cut. */
  truncated?: boolean;
}

/** Options of one tool run. */
export interface ToolOptions {
  /** Written to stdin; passwords travel only this way. */
  input?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Run as this account instead of root. */
  as?: { uid: number; gid: number; name: string; home: string };
}

/** Runs a system tool (no shell); injected so tests never touch the real machine where they must not (reboots). */
export type ToolRunner = (file: string, args: readonly string[], opts?: ToolOptions) => Promise<ToolResult>;

/** A system tool is missing or failed. */
export class ToolError extends AppError {
  constructor(message: string) { super('TOOL_FAILED', message, 500); }
}

/** The real runner: its own process group, a timeout, output capped at what an item result can hold. */
export const processToolRunner: ToolRunner = async (file, args, opts = {}) => {
  const env = opts.as ? { ...process.env, HOME: opts.as.home, USER: opts.as.name, LOGNAME: opts.as.name } : process.env;
  try {
    const r = await runGroupProcess(file, {
      args, env, input: opts.input, timeoutMs: opts.timeoutMs ?? 60_000, maxOutputBytes: MAX_ITEM_OUTPUT, overflow: 'truncate',
      stderr: 'merge', signal: opts.signal, uid: opts.as?.uid, gid: opts.as?.gid,
    });
    return { code: r.exitCode, output: r.output, timedOut: r.timedOut, truncated: r.overflowed };
  } catch (err) {
    if (err instanceof ProcessSpawnError) throw new ToolError(err.message);
    throw err;
  }
};

/** Runs a tool and throws `ToolError` (with its output's last line) unless it exits 0; resolves with its output. */
export async function runChecked(run: ToolRunner, file: string, args: readonly string[], opts?: ToolOptions): Promise<string> {
  const r = await run(file, args, opts);
  if (r.code === 0) return r.output;
  const last = r.output.trim().split('\n').pop() ?? '';
  throw new ToolError(`${file} ${r.timedOut ? 'timed out' : `exited with status ${r.code}`}${last ? `: ${last.slice(0, 300)}` : ''}`);
}
