import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApiClient } from '../../simulations/processes/api-client.js';
import { homingCli } from '../../simulations/processes/homing-cli.js';
import { eventually } from '../helpers/mesh.js';

/** Every live process whose ancestry leads to `root` (read from /proc). */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch { /* exited meanwhile */ }
  }
  const found: number[] = [];
  for (const pid of parent.keys()) {
    for (let p = parent.get(pid); p; p = parent.get(p)) if (p === root) { found.push(pid); break; }
  }
  return found;
}

/** Every file under `dir`. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)).filter((f) => statSync(f).isFile());
}

// The whole demo as a newcomer runs it: real coordinator, four node processes (127.81/127.82), two agents; then Ctrl-C.
describe('homing demo', () => {
  it('runs to its summary, installs the package in both buildings from their own nodes, and stops every child on SIGINT', async () => {
    const cli = homingCli();
    const child = spawn(cli.command, [...cli.args, 'demo', '--port', '0', '--first-octet', '81', '--agents-per-building', '1'], {
      cwd: cli.cwd, env: { ...process.env, HOMING_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await eventually(async () => stdout.includes('Press Ctrl-C') || child.exitCode !== null, 150_000, `the demo's summary:\n${stdout}\n${stderr}`);
      expect(child.exitCode).toBeNull();
      expect(stdout).toMatch(/Building A 127\.81\.0\.0\/16: primary node \d+ at https:\/\/127\.81\.0\.10:\d+, failover node \d+/);
      expect(stdout.match(/Policy "Install Homing Hello": success \(1 item\)/g)).toHaveLength(2);
      expect(stdout).toMatch(/Building A: \d+ B from its primary \(node \d+\); 100% stayed inside the building/);
      expect(stdout).toMatch(/Building B: \d+ B from its primary \(node \d+\); 100% stayed inside the building/);

      const installed = /Installed +(\S+)/.exec(stdout)![1]!;
      expect(readFileSync(installed, 'utf8')).toContain('Hello from a package Homing delivered');
      const url = /Web UI +(https:\/\/\S+?)\//.exec(stdout)![1]!;
      const caFile = /CA to pin: (\S+?)\)/.exec(stdout)![1]!;
      const password = /Sign in +admin \/ (\S+)/.exec(stdout)![1]!;
      const api = createApiClient(readFileSync(caFile, 'utf8'), () => url, () => '');
      const signIn = await api.api('POST', '/api/v1/auth/token', { username: 'admin', password }, { token: null });
      await api.close();
      expect(signIn.status).toBe(200);
      // The password is shown to the person running the demo and nowhere else: not in any file it wrote, not in its logs.
      const workDir = dirname(dirname(dirname(dirname(dirname(installed)))));
      for (const f of [...files(dirname(caFile)), ...files(workDir)]) expect(readFileSync(f).includes(password), f).toBe(false);
      expect(stderr).not.toContain(password);

      const children = descendants(child.pid!);
      expect(children.length).toBeGreaterThanOrEqual(5); // coordinator, four nodes, two agent daemons (plus tsx helpers)
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(stdout).toContain('Stopped every process the demo started and removed its temp dirs.');
      expect(stderr).not.toMatch(/SQLITE_MISUSE|Emitted 'error' event|exited \(/);
      await eventually(async () => children.every((pid) => !existsSync(`/proc/${pid}`)), 15_000, `no process left of ${children.join(', ')}`);
      expect(existsSync(workDir)).toBe(false);
      expect(existsSync(dirname(caFile))).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 200_000);
});
