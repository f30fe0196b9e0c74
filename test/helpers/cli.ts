import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Result of a `homing` process. */
export interface CliResult { code: number | null; stdout: string; stderr: string }

/** Runs the real `homing` CLI (bin/homing.ts through tsx) as a child process. */
export function runHoming(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/homing.ts', ...args], {
      cwd: ROOT, env: { ...process.env, HOMING_LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`homing ${args.join(' ')} timed out\n${stderr}`)); }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

/** The project root (for spawning long-running processes in tests). */
export const PROJECT_ROOT = ROOT;
