import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ITEM_OUTPUT } from '../../shared/schemas/policy-results.js';
import { createApiClient, type ApiClient } from '../helpers/api-client.js';
import { PROJECT_ROOT, runHoming } from '../helpers/cli.js';
import { ADMIN_PASSWORD } from '../helpers/coordinator.js';
import { freePort, spawnCoordinator, type CoordinatorProcess } from '../helpers/coordinator-process.js';

const MB = 1_000_000;
const MiB = 1024 * 1024;

/** Resident set size of a live process in bytes (Linux /proc), or undefined once it is gone. */
function rssOf(pid: number): number | undefined {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

/** Samples the largest RSS of each pid every 20 ms until stopped. */
function peakRss(pids: () => (number | undefined)[]): { stop(): Map<number, number> } {
  const peaks = new Map<number, number>();
  const sample = () => {
    for (const pid of pids()) {
      if (pid === undefined) continue;
      const rss = rssOf(pid);
      if (rss !== undefined) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, rss));
    }
  };
  sample();
  const timer = setInterval(sample, 20);
  return { stop: () => { clearInterval(timer); sample(); return peaks; } };
}

describe.skipIf(process.platform !== 'linux')('a script printing 100 MB: coordinator and agent as real processes', () => {
  let work: string;
  let coordinator: CoordinatorProcess;
  let api: ApiClient;
  let token = '';
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await api.api(method, path, body);
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  /** Runs `homing agent policy --event NAME` as a process, sampling its and the coordinator's RSS throughout. */
  const agentPolicyRun = async (event: string, stateDir: string) => {
    const coordinatorBefore = rssOf(coordinator.child.pid!)!;
    const agent = spawn(process.execPath, ['--import', 'tsx', 'bin/homing.ts', 'agent', 'policy', '--event', event, '--state-dir', stateDir], {
      cwd: PROJECT_ROOT, env: { ...process.env, HOMING_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const meter = peakRss(() => [coordinator.child.pid, agent.exitCode === null ? agent.pid : undefined]);
    let stdout = '';
    let stderr = '';
    agent.stdout.on('data', (d) => { stdout += d; });
    agent.stderr.on('data', (d) => { stderr += d; });
    const code = await new Promise<number | null>((resolve) => agent.once('close', resolve));
    const peaks = meter.stop();
    return { code, stdout, stderr, coordinatorGrowth: peaks.get(coordinator.child.pid!)! - coordinatorBefore, agentPeak: peaks.get(agent.pid!) ?? 0 };
  };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'homing-flood-'));
    coordinator = await spawnCoordinator({ port: await freePort(), dataDir: join(work, 'coordinator'), env: { HOMING_ADMIN_PASSWORD: ADMIN_PASSWORD } });
    const caPem = await readFile(join(work, 'coordinator', 'ca.pem'), 'utf8');
    api = createApiClient(caPem, () => coordinator.url, () => token);
    token = (await call('POST', '/api/v1/auth/token', { username: 'admin', password: ADMIN_PASSWORD })).token;
  }, 120_000);

  afterAll(async () => {
    await coordinator?.kill();
    await api?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('keeps 64 KiB of the output with a truncation marker, completes the run, and neither process holds the output in memory', async () => {
    const stateDir = join(work, 'agent');
    const { token: enrollment } = await call('POST', '/api/v1/enrollment-tokens', { uses: 1, expiresInSeconds: 600 });
    const enrolled = await runHoming(['agent', 'enroll', '--coordinator', coordinator.url, '--ca-file', join(work, 'coordinator', 'ca.pem'), '--token', enrollment, '--state-dir', stateDir, '--root', join(work, 'root')], {}, 120_000);
    expect(enrolled.code, enrolled.stderr).toBe(0);
    const computerId = (await call('GET', '/api/v1/computers')).items[0].id as number;

    // 100 MB of "0123456789abcdef…" lines, then a line that must not survive the cap.
    const script = await call('POST', '/api/v1/scripts', {
      name: 'Flood', content: `#!/bin/sh\nyes 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde | head -c ${100 * MB}\necho LAST-LINE\n`,
    });
    const policy = await call('POST', '/api/v1/policies', {
      name: 'Flood', triggers: ['custom:flood'], frequency: 'ongoing', scope: { computers: [computerId] }, payloads: [{ type: 'script', scriptId: script.id }],
    });

    const quiet = await call('POST', '/api/v1/scripts', { name: 'Quiet', content: '#!/bin/sh\necho quiet\n' });
    await call('POST', '/api/v1/policies', {
      name: 'Quiet', triggers: ['custom:quiet'], frequency: 'ongoing', scope: { computers: [computerId] }, payloads: [{ type: 'script', scriptId: quiet.id }],
    });

    // The same agent run with a one-line script first: the flood's memory is judged against it.
    const calm = await agentPolicyRun('quiet', stateDir);
    expect(calm.code, calm.stderr).toBe(0);
    const { code, stdout, stderr, coordinatorGrowth, agentPeak } = await agentPolicyRun('flood', stateDir);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('Policy "Flood": success (1 item).');
    expect(stdout).toContain('Results: 1 delivered.');

    const logs = await call('GET', `/api/v1/policies/${policy.id}/logs`);
    expect(logs.total).toBe(1);
    const [item] = logs.items[0].items as { status: string; output: string }[];
    expect(item!.status).toBe('success');
    // The agent's own marker survives: what it sends fits what the coordinator stores.
    expect(item!.output.slice(-100)).toMatch(/\n\[output truncated at \d+ bytes\]$/);
    expect(item!.output.length).toBeGreaterThan(MAX_ITEM_OUTPUT - 200);
    expect(item!.output.length).toBeLessThanOrEqual(MAX_ITEM_OUTPUT);
    expect(item!.output.startsWith('0123456789abcdef')).toBe(true);
    expect(item!.output).not.toContain('LAST-LINE');

    // 100 MB passed through the agent; neither side may have held it. Holding it would add ≥ 100 MB; the bounds
    // leave room for GC, JIT and allocator noise (the agent's growth reached 41 MiB once on a loaded CI run).
    process.stdout.write(`script output 100 MB: coordinator peak RSS growth ${(coordinatorGrowth / MiB).toFixed(1)} MiB; agent peak RSS ${(agentPeak / MiB).toFixed(0)} MiB (${(calm.agentPeak / MiB).toFixed(0)} MiB for a one-line script)\n`);
    expect(coordinatorGrowth).toBeLessThan(64 * MiB);
    expect(calm.agentPeak).toBeGreaterThan(0);
    expect(agentPeak - calm.agentPeak).toBeLessThan(64 * MiB);
  }, 180_000);
});
