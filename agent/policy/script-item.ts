import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redactSecrets } from '../../shared/policy/redact.js';
import type { BundleScript } from '../../shared/schemas/bundle-policy.js';
import { MAX_ITEM_OUTPUT } from '../../shared/schemas/policy-results.js';
import { ProcessSpawnError, runGroupProcess } from '../process/run-group-process.js';
import type { ItemOutcome } from './package-installer.js';

// Output kept before the truncation marker: with the marker the item stays within what the coordinator stores,
// which would otherwise cut the marker off again.
const OUTPUT_CAP = MAX_ITEM_OUTPUT - 64;

/** Environment variable through which a secret parameter `$N` reaches the script (its argv slot stays empty). */
export const secretParameterVariable = (index: number) => `HOMING_PARAMETER_${index}`;

/** What Jamf passes every policy script: $1 target root, $2 computer name, $3 user. */
export interface ScriptContext {
  root: string;
  computerName: string;
  username: string | null;
  signal?: AbortSignal;
}

/**
 * Runs a policy script by Jamf's convention ($1 root, $2 computer name, $3 user, $4–$11 parameters) in its own
 * process group: secret parameters go in the environment instead of argv and are redacted from the output;
 * stdout and stderr are kept up to the cap; on timeout the whole group is killed. Never throws but on abort.
 */
export async function runPolicyScript(script: BundleScript, ctx: ScriptContext): Promise<ItemOutcome> {
  const secrets = script.parameters.filter((p) => p.secret);
  const args = [ctx.root, ctx.computerName, ctx.username ?? '', ...script.parameters.map((p) => (p.secret ? '' : p.value))];
  const env = { ...process.env, ...Object.fromEntries(secrets.map((p) => [secretParameterVariable(p.index), p.value])) };
  // mkdtemp makes a 0700 dir, so no other user can swap the script before it runs.
  const dir = await mkdtemp(join(tmpdir(), 'homing-policy-'));
  try {
    const path = join(dir, 'script');
    await writeFile(path, script.content, { mode: 0o700 });
    const r = await runGroupProcess(path, {
      args, env, timeoutMs: script.timeoutSeconds * 1000, maxOutputBytes: OUTPUT_CAP, overflow: 'truncate', stderr: 'merge', signal: ctx.signal,
    });
    const output = redactSecrets(r.output, secrets.map((p) => p.value)) + (r.overflowed ? `\n[output truncated at ${OUTPUT_CAP} bytes]` : '');
    if (r.timedOut) {
      return { status: 'failed', message: `script "${script.name}" timed out after ${script.timeoutSeconds} s; its process group was killed`, exitCode: null, output };
    }
    if (r.exitCode !== 0) {
      const how = r.signal ? `was killed by ${r.signal}` : `exited with status ${r.exitCode}`;
      return { status: 'failed', message: `script "${script.name}" ${how}`, exitCode: r.exitCode, output };
    }
    return { status: 'success', message: `script "${script.name}" exited with status 0`, exitCode: 0, output };
  } catch (err) {
    if (!(err instanceof ProcessSpawnError)) throw err;
    return { status: 'failed', message: `script "${script.name}": ${err.message}`, exitCode: null, output: '' };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
