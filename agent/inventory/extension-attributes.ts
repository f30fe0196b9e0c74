import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { silentLogger, type Logger } from '../../shared/logger.js';
import { ExtensionAttributeError } from './errors.js';
import { clampString } from './limits.js';
import { runScriptFile } from './script-runner.js';

/** An admin-defined inventory field computed by a script (text with a shebang) that prints `<result>…</result>`. */
export type ExtensionAttributeDef = { name: string; script: string };

/** Default per-script timeout. */
export const DEFAULT_EA_TIMEOUT_MS = 30_000;
/** Default cap on a script's stdout. */
export const DEFAULT_EA_MAX_OUTPUT_BYTES = 64 * 1024;
/** Longest value kept (the schema's limit). */
export const MAX_EA_VALUE = 4096;
/** Longest attribute name kept (the schema's limit). */
export const MAX_EA_NAME = 200;

/** Options for running extension attributes. */
export interface ExtensionAttributeOptions {
  timeoutMs?: number;
  maxOutputBytes?: number;
  /** How many scripts may run at once. */
  concurrency?: number;
  logger?: Logger;
  signal?: AbortSignal;
  /** Parent of the private per-script temp dirs (default: the OS temp dir). */
  tmpDir?: string;
}

/** The trimmed text between the first `<result>` and the following `</result>` (≤ 4096 chars), or '' without both tags. */
export function parseResult(output: string): string {
  const start = output.indexOf('<result>');
  if (start < 0) return '';
  const end = output.indexOf('</result>', start + '<result>'.length);
  if (end < 0) return '';
  return clampString(output.slice(start + '<result>'.length, end).trim(), MAX_EA_VALUE);
}

/** Runs one attribute's script from a private temp dir and returns its parsed result; failures reject with `ExtensionAttributeError`. */
export async function runExtensionAttribute(def: ExtensionAttributeDef, opts: ExtensionAttributeOptions = {}): Promise<string> {
  if (!def.script.startsWith('#!')) throw new ExtensionAttributeError('EA_NO_SHEBANG', 'script does not start with #!');
  // mkdtemp creates the dir with mode 0700, so no other user can swap the script before it runs.
  const dir = await mkdtemp(join(opts.tmpDir ?? os.tmpdir(), 'homing-ea-'));
  try {
    const path = join(dir, 'script');
    await writeFile(path, def.script, { mode: 0o700 });
    const output = await runScriptFile(path, {
      timeoutMs: opts.timeoutMs ?? DEFAULT_EA_TIMEOUT_MS,
      maxOutputBytes: opts.maxOutputBytes ?? DEFAULT_EA_MAX_OUTPUT_BYTES,
      signal: opts.signal,
    });
    return parseResult(output);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs every attribute (a few at a time) into a name → value record; a failing one yields '' and a warning, never an error. */
export async function runExtensionAttributes(
  defs: readonly ExtensionAttributeDef[], opts: ExtensionAttributeOptions = {},
): Promise<Record<string, string>> {
  const logger = opts.logger ?? silentLogger();
  const values: string[] = new Array<string>(defs.length).fill('');
  let next = 0;
  const worker = async () => {
    while (next < defs.length) {
      const i = next++;
      const def = defs[i]!;
      try {
        values[i] = await runExtensionAttribute(def, opts);
      } catch (err) {
        if (opts.signal?.aborted) throw err;
        logger.warn({ err, attribute: def.name }, 'extension attribute failed; reporting an empty value');
      }
    }
  };
  const workers = Math.max(1, Math.min(opts.concurrency ?? 2, defs.length));
  await Promise.all(Array.from({ length: workers }, worker));
  // A Map, then fromEntries: later definitions win on duplicate names, and a name like `__proto__` stays a plain key.
  const byName = new Map<string, string>();
  defs.forEach((def, i) => byName.set(clampString(def.name, MAX_EA_NAME), values[i]!));
  return Object.fromEntries(byName);
}
