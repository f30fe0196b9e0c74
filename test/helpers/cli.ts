import { homingCli } from '../../simulations/processes/homing-cli.js';
import { runHoming as run, type CliResult } from '../../simulations/processes/run-homing.js';

export type { CliResult };

/** Runs the real `homing` CLI (bin/homing.ts through tsx) as a child process. */
export function runHoming(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<CliResult> {
  return run(args, { env, timeoutMs });
}

/** The project root (for spawning long-running processes in tests). */
export const PROJECT_ROOT = homingCli().cwd;
