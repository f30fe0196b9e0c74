import { spawn } from 'node:child_process';

import { existsSync } from 'node:fs';

/** A command's wall time, CPU time (user + system, 0 when unknown) and standard output. */
export interface CommandRun { seconds: number; cpuSeconds: number; stdout: string }

const TIME = '/usr/bin/time';
const CPU_LINE = /^homing-cpu (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)$/m;

/**
 * Runs a command to completion (no shell), timing it — under GNU time when installed, for its CPU seconds; fails with
 * its stderr when it exits non-zero.
 */
export function timedCommand(command: string, args: string[]): Promise<CommandRun> {
  const timed = existsSync(TIME);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = timed
      ? spawn(TIME, ['-f', 'homing-cpu %U %S', command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      const seconds = (performance.now() - started) / 1000;
      const cpu = CPU_LINE.exec(Buffer.concat(err).toString());
      if (code === 0) resolve({ seconds, cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : 0, stdout: Buffer.concat(out).toString() });
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? code}): ${Buffer.concat(err).toString().trim().slice(0, 500)}`));
    });
  });
}

/** The hex digest `sha256sum` or `openssl dgst` printed. */
export function hexOf(output: string): string {
  const hex = /\b[0-9a-f]{64}\b/.exec(output)?.[0];
  if (!hex) throw new Error(`no SHA-256 digest in: ${output.slice(0, 200)}`);
  return hex;
}
