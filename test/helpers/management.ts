import { spawnSync } from 'node:child_process';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { processToolRunner, type ToolRunner } from '../../agent/management/tool-runner.js';

/** Why account tools cannot be exercised in a temporary root here, or undefined when they can. */
export function accountToolsUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `account tools are tested on Linux only (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'not root: useradd --root needs root; skipping local account tests';
  const missing = ['useradd', 'userdel', 'usermod', 'gpasswd', 'chpasswd', 'openssl'].filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
  return missing.length ? `missing ${missing.join(', ')}; skipping local account tests` : undefined;
}

/** A throwaway root for `useradd --root`: copies of the host's user database, so the host's accounts are never touched. */
export async function makeAccountRoot(dir: string): Promise<string> {
  await mkdir(join(dir, 'etc'), { recursive: true });
  await mkdir(join(dir, 'home'), { recursive: true });
  for (const f of ['passwd', 'group', 'shadow', 'gshadow', 'login.defs']) {
    await copyFile(join('/etc', f), join(dir, 'etc', f)).catch(() => {});
  }
  return dir;
}

/** The real tool runner, except that `shutdown` is recorded (never run) and `who` reports `users`. */
export function safeToolRunner(users: () => string[] = () => []): { run: ToolRunner; shutdowns: string[][] } {
  const shutdowns: string[][] = [];
  const run: ToolRunner = async (file, args, opts) => {
    if (file === 'shutdown') { shutdowns.push([...args]); return { code: 0, output: '', timedOut: false }; }
    if (file === 'who') return { code: 0, output: users().map((u) => `${u}  :0  2026-01-01 09:00 (:0)\n`).join(''), timedOut: false };
    return processToolRunner(file, args, opts);
  };
  return { run, shutdowns };
}
