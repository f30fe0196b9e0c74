import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_ITEM_OUTPUT } from '../../shared/schemas/policy-results.js';
import { runGroupProcess } from '../process/run-group-process.js';
import { PackageInstallError } from './errors.js';

/** Runs a package's pre- or postinstall script with Jamf's arguments ($1 package name, $2 install dir, $3 root); returns its output. */
export type PackageScriptRunner = (kind: 'preinstall' | 'postinstall', content: string, args: string[], signal?: AbortSignal) => Promise<string>;

/** A runner that executes scripts in their own process group, killed after `timeoutMs`; a non-zero exit throws SCRIPT_FAILED. */
export function processScriptRunner(timeoutMs: number): PackageScriptRunner {
  return async (kind, content, args, signal) => {
    // mkdtemp makes a 0700 dir, so no other user can swap the script before it runs.
    const dir = await mkdtemp(join(tmpdir(), 'homing-pkg-script-'));
    try {
      const path = join(dir, kind);
      await writeFile(path, content, { mode: 0o700 });
      const r = await runGroupProcess(path, { args, timeoutMs, maxOutputBytes: MAX_ITEM_OUTPUT, overflow: 'truncate', stderr: 'merge', signal });
      if (r.timedOut) throw new PackageInstallError('SCRIPT_FAILED', `${kind} script timed out after ${timeoutMs / 1000} s`);
      if (r.exitCode !== 0) throw new PackageInstallError('SCRIPT_FAILED', `${kind} script ${r.signal ? `was killed by ${r.signal}` : `exited with status ${r.exitCode}`}: ${r.output.slice(-500)}`);
      return r.output;
    } catch (err) {
      if (err instanceof PackageInstallError || signal?.aborted) throw err;
      throw new PackageInstallError('SCRIPT_FAILED', `${kind} script could not run: ${(err as Error).message}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}
