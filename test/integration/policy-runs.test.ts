import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkin } from '../../agent/checkin.js';
import { enroll } from '../../agent/enroll.js';
import { runTrigger } from '../../agent/policy/trigger.js';
import { openRuntime, type AgentRuntime } from '../../agent/runtime.js';
import { startCoordinator } from '../../coordinator/coordinator.js';
import { ManualClock } from '../../shared/clock.js';
import { silentLogger } from '../../shared/logger.js';
import { isAlive, waitFor } from '../agent/inventory/helpers.js';
import { runHoming } from '../helpers/cli.js';
import { enrollmentToken, startTestCoordinator, type TestCoordinator } from '../helpers/coordinator.js';
import { sampleInventory } from '../helpers/inventory.js';

const SECRET = 'hunter2-very-secret';

describe('policy runs: real coordinator, real agent code', () => {
  let t: TestCoordinator;
  let work: string;
  let rt: AgentRuntime;
  const clock = new ManualClock(Date.now());
  const deps = { clock, logger: silentLogger(), collect: async () => sampleInventory('policy-host') };
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await t.api(method, path, body);
    if (res.status >= 400) throw new Error(`${method} ${path}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const logCount = async (policyId: number) => (await api('GET', `/api/v1/policies/${policyId}/logs`)).total as number;
  const script = (name: string, content: string, extra: object = {}) => api('POST', '/api/v1/scripts', { name, content, ...extra });
  const policy = (body: object) => api('POST', '/api/v1/policies', { scope: { computers: [rt.state.computerId] }, ...body });

  beforeAll(async () => {
    t = await startTestCoordinator();
    work = await mkdtemp(join(tmpdir(), 'homing-policy-'));
    rt = (await enroll({ coordinatorUrls: [t.url], caPem: t.caPem, token: await enrollmentToken(t), stateDir: join(work, 'state'), root: join(work, 'root') }, deps)).runtime;
  });
  afterAll(async () => {
    await rt?.client.close();
    await t?.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('runs a smart-group policy at check-in with $1–$11, keeps secrets out of argv, logs and output, and runs once until flushed', async () => {
    const out = join(work, 'args');
    const s = await script('Args', `#!/bin/sh\nprintf '%s\\n' "$@" > ${out}/argv\ntr '\\0' '\\n' < /proc/$$/cmdline > ${out}/cmdline\nprintf '%s' "$HOMING_PARAMETER_5" > ${out}/secret\necho "using $HOMING_PARAMETER_5"\n`, { secretParameters: [5] });
    await mkdir(out);
    const group = await api('POST', '/api/v1/groups', { kind: 'smart', name: 'Policy hosts', criteria: [{ field: 'network.hostname', operator: 'is', value: 'policy-host' }] });
    const p = await api('POST', '/api/v1/policies', {
      name: 'Configure', scope: { groups: [group.id] },
      payloads: [{ type: 'package', packageId: 3 }, { type: 'script', scriptId: s.id, parameters: ['p4', SECRET, 'p6', 'p7', 'p8', 'p9', 'p10', 'p11'] }],
    });
    const run = await checkin(rt);
    expect(run.policies!.ran).toMatchObject([{ policyId: p.id, status: 'failed' }]);
    const [pkg, item] = run.policies!.ran[0]!.items;
    expect(pkg).toMatchObject({ type: 'package', status: 'failed', message: 'package payloads need the packages feature' });
    expect(item).toMatchObject({ type: 'script', status: 'success', output: 'using ********\n' });
    expect((await readFile(join(out, 'argv'), 'utf8')).split('\n')).toEqual([join(work, 'root'), 'policy-host', '', 'p4', '', 'p6', 'p7', 'p8', 'p9', 'p10', 'p11', '']);
    expect(await readFile(join(out, 'cmdline'), 'utf8')).not.toContain(SECRET);
    expect(await readFile(join(out, 'secret'), 'utf8')).toBe(SECRET);
    const logs = await api('GET', `/api/v1/policies/${p.id}/logs`);
    expect(logs.total).toBe(1);
    expect(JSON.stringify(logs)).not.toContain(SECRET);
    expect(JSON.stringify(await readdir(join(rt.store.dir, 'policy-results', 'pending')))).toBe('[]');

    // Failed once-per-computer with no retries: not again until the log is flushed.
    expect((await checkin(rt)).policies!.skipped[0]!.reason).toMatch(/failed \(no retries\)/);
    await api('POST', `/api/v1/computers/${rt.state.computerId}/flush-logs`);
    expect((await checkin(rt)).policies!.ran).toHaveLength(1);
    expect(await logCount(p.id)).toBe(2);
    await api('DELETE', `/api/v1/policies/${p.id}`);
  });

  it('retries a failing policy up to its limit, and runs a daily one again after 24 h', async () => {
    const fail = await script('Fail', '#!/bin/sh\necho broken >&2\nexit 3\n');
    const ok = await script('Ok', '#!/bin/sh\nexit 0\n');
    const retried = await policy({ name: 'Retried', triggers: ['custom:retry'], retries: 2, payloads: [{ type: 'script', scriptId: fail.id }] });
    const daily = await policy({ name: 'Daily', triggers: ['custom:retry'], frequency: 'daily', payloads: [{ type: 'script', scriptId: ok.id }] });
    const statuses: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = (await runTrigger(rt, 'custom:retry')).policies!;
      statuses.push(r.ran.find((x) => x.policyId === retried.id)?.items[0]?.message ?? r.skipped.find((x) => x.policyId === retried.id)!.reason);
    }
    expect(statuses.slice(0, 3)).toEqual(Array(3).fill('script "Fail" exited with status 3'));
    expect(statuses[3]).toMatch(/retries exhausted/);
    expect(await logCount(retried.id)).toBe(3);
    expect(await logCount(daily.id)).toBe(1);
    await clock.advance(24 * 3_600_000 + 1000);
    expect((await runTrigger(rt, 'custom:retry')).policies!.ran.map((r) => r.policyId)).toEqual([daily.id]);
    for (const x of [retried, daily]) await api('DELETE', `/api/v1/policies/${x.id}`);
  });

  it('kills a hung script and its children at the timeout', async () => {
    const pidFile = join(work, 'child.pid');
    const hung = await script('Hung', `#!/bin/sh\nsleep 300 &\necho $! > ${pidFile}\nsleep 300\n`, { timeoutSeconds: 1 });
    const p = await policy({ name: 'Hangs', triggers: ['custom:hang'], frequency: 'ongoing', payloads: [{ type: 'script', scriptId: hung.id }] });
    const started = Date.now();
    const r = (await runTrigger(rt, 'custom:hang')).policies!;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.ran[0]!.items[0]!.message).toBe('script "Hung" timed out after 1 s; its process group was killed');
    const child = Number(await readFile(pidFile, 'utf8'));
    expect(await waitFor(() => !isAlive(child), 2000)).toBe(true);
    await api('DELETE', `/api/v1/policies/${p.id}`);
  });

  it('queues results while the coordinator is down and delivers them exactly once after it returns, across an agent restart', async () => {
    const ok = await script('Offline', '#!/bin/sh\necho offline run\n');
    const p = await policy({ name: 'Offline', triggers: ['custom:offline'], frequency: 'ongoing', payloads: [{ type: 'script', scriptId: ok.id }] });
    await checkin(rt);
    const port = t.coordinator.port;
    await t.coordinator.stop();
    for (let i = 0; i < 2; i++) {
      const r = await runTrigger(rt, 'custom:offline');
      expect(r.offline).toBe(true);
      expect(r.policies!.ran[0]!.status).toBe('success');
    }
    const pendingDir = join(rt.store.dir, 'policy-results', 'pending');
    const queued = await readdir(pendingDir);
    expect(queued).toHaveLength(2);
    const copy = await readFile(join(pendingDir, queued[0]!), 'utf8');
    await rt.client.close();

    t.coordinator = await startCoordinator({ ...t.config, port }, silentLogger());
    rt = await openRuntime(rt.store.dir, deps);
    await checkin(rt, 'checkin');
    expect(await readdir(pendingDir)).toEqual([]);
    expect(await logCount(p.id)).toBe(2);
    // A crash after the acknowledgement re-sends a result: the coordinator keeps it once.
    await writeFile(join(pendingDir, queued[0]!), copy);
    await checkin(rt, 'checkin');
    expect(await logCount(p.id)).toBe(2);
    await api('DELETE', `/api/v1/policies/${p.id}`);
  });

  it('runs a custom event and a login trigger through the real CLI', async () => {
    const out = join(work, 'cli-user');
    const s = await script('Who', `#!/bin/sh\nprintf '%s' "$3" > ${out}\necho "hello $3"\n`);
    const custom = await policy({ name: 'Custom', triggers: ['custom:hello'], frequency: 'ongoing', payloads: [{ type: 'script', scriptId: s.id }] });
    const login = await policy({ name: 'At login', triggers: ['login'], frequency: 'once-per-user-per-computer', payloads: [{ type: 'script', scriptId: s.id }] });
    const stateDir = rt.store.dir;
    const event = await runHoming(['agent', 'policy', '--event', 'hello', '--state-dir', stateDir]);
    expect(event.stderr).toBe('');
    expect(event.stdout).toContain('Policy "Custom": success (1 item).');
    expect(event.stdout).toContain('Results: 1 delivered.');
    const first = await runHoming(['agent', 'trigger', 'login', '--user', 'bob', '--state-dir', stateDir]);
    expect(first.stdout).toContain('Policy "At login": success');
    expect(await readFile(out, 'utf8')).toBe('bob');
    expect(await logCount(custom.id)).toBe(1);
    expect(await logCount(login.id)).toBe(1);
    const bad = await runHoming(['agent', 'trigger', 'reboot', '--state-dir', stateDir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown trigger "reboot"');
  });
});
