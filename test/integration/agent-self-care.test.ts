import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkin } from '../../agent/checkin.js';
import { runDaemon } from '../../agent/daemon.js';
import { enroll } from '../../agent/enroll.js';
import { identityStatus } from '../../agent/identity/identity-status.js';
import { defaultManagementDeps } from '../../agent/management/management-deps.js';
import type { AgentRuntime } from '../../agent/runtime.js';
import { runSelfService, selfServicePolicies } from '../../agent/self-service.js';
import { ManualClock } from '../../shared/clock.js';
import { silentLogger } from '../../shared/logger.js';
import { runHoming } from '../helpers/cli.js';
import { enrollmentToken, startTestCoordinator, type TestCoordinator } from '../helpers/coordinator.js';
import { sampleInventory } from '../helpers/inventory.js';
import { safeToolRunner } from '../helpers/management.js';

const HOUR = 3_600_000;

describe('agent self-care: certificate renewal, identity status, re-enrollment, stall watchdog, Self Service', () => {
  let t: TestCoordinator;
  let work: string;
  const runtimes: AgentRuntime[] = [];
  const agent = async (name: string, clock = new ManualClock(Date.now())) => {
    const management = defaultManagementDeps({ run: safeToolRunner(() => ['alice']).run });
    const deps = { clock, logger: silentLogger(), collect: async () => sampleInventory(name), management };
    const rt = (await enroll({ coordinatorUrls: [t.url], caPem: t.caPem, token: await enrollmentToken(t), stateDir: join(work, name), root: '/' }, deps)).runtime;
    runtimes.push(rt);
    return { rt, clock, deps };
  };
  const serial = (pem: string) => new X509Certificate(pem).serialNumber;

  beforeAll(async () => {
    // One-day certificates: a few hours of agent time put them inside the renewal window.
    t = await startTestCoordinator({ config: { certificateDays: 1 } });
    work = await mkdtemp(join(tmpdir(), 'homing-selfcare-'));
  });
  afterAll(async () => {
    for (const rt of runtimes) await rt.client.close();
    await t?.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('renews a certificate nearing expiry from the daemon loop, retiring the old one at once', async () => {
    const { rt, clock } = await agent('renewing');
    const old = await rt.store.loadIdentity();
    await clock.advance(17 * HOUR);
    const stop = new AbortController();
    let cycled!: () => void;
    const firstCycle = new Promise<void>((r) => { cycled = r; });
    const daemon = runDaemon(rt, { signal: stop.signal, startupDelayMs: 0, onCycle: () => cycled() });
    await clock.whenSleeping();
    await clock.advance(0);
    await firstCycle;
    stop.abort();
    await daemon;

    const renewed = await rt.store.loadIdentity();
    expect(serial(renewed.cert)).not.toBe(serial(old.cert));
    expect(renewed.key).not.toBe(old.key);
    const path = `/device/v1/computers/${rt.state.computerId}/identity`;
    expect((await t.api('GET', path, undefined, { token: null, tls: { cert: old.cert, key: old.key } })).status).toBe(403);
    const seen = await t.api('GET', path, undefined, { token: null, tls: { cert: renewed.cert, key: renewed.key } });
    expect(seen.body).toMatchObject({ computerId: rt.state.computerId, certificateSerial: serial(renewed.cert).toLowerCase(), status: 'managed' });
    expect((await checkin(rt)).status).toBe('not-modified');
    const history = (await t.api('GET', `/api/v1/computers/${rt.state.computerId}`)).body.history;
    expect(history[0]).toMatchObject({ kind: 'certificate-renewed' });
  });

  it('reports a revoked or lost identity clearly and re-enrolls with a new token (--force)', async () => {
    const { rt, deps } = await agent('revoked');
    const dir = rt.store.dir;
    expect(await identityStatus(dir, Date.now())).toMatchObject({ state: 'enrolled', computerId: rt.state.computerId });
    const cli = await runHoming(['agent', 'status', '--state-dir', dir]);
    expect(cli).toMatchObject({ code: 0 });
    expect(cli.stdout).toContain(`Identity: enrolled — enrolled as computer ${rt.state.computerId}`);

    expect((await t.api('DELETE', `/api/v1/computers/${rt.state.computerId}`)).status).toBe(204);
    const revoked = await identityStatus(dir, Date.now());
    expect(revoked.state).toBe('revoked');
    expect(revoked.message).toContain('homing agent enroll --force');
    const revokedCli = await runHoming(['agent', 'status', '--state-dir', dir]);
    expect(revokedCli.code).toBe(1);
    expect(revokedCli.stdout).toContain('Identity: revoked');

    await expect(enroll({ coordinatorUrls: [t.url], caPem: t.caPem, token: await enrollmentToken(t), stateDir: dir, root: '/' }, deps))
      .rejects.toMatchObject({ code: 'CONFLICT' });
    const again = await enroll({ coordinatorUrls: [t.url], caPem: t.caPem, token: await enrollmentToken(t), stateDir: dir, root: '/', force: true }, deps);
    runtimes.push(again.runtime);
    expect(again.runtime.state.computerId).not.toBe(rt.state.computerId);
    expect((await identityStatus(dir, Date.now())).state).toBe('enrolled');

    await rm(join(dir, 'key.pem'));
    expect(await identityStatus(dir, Date.now())).toMatchObject({ state: 'identity-lost' });
    expect((await identityStatus(join(work, 'never'), Date.now())).state).toBe('not-enrolled');
  });

  it('reports a daemon loop that stays stalled past its cycle timeout (the CLI then exits 70 for the service manager)', async () => {
    const { rt, clock } = await agent('stalling');
    rt.client.checkin = () => new Promise(() => {});
    let overdue = 0;
    const stop = new AbortController();
    void runDaemon(rt, { signal: stop.signal, startupDelayMs: 0, cycleTimeoutMs: 1000, watchdogCheckMs: 10, onStall: (ms) => { overdue = ms; } });
    await clock.whenSleeping();
    await clock.advance(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(overdue).toBe(0);
    await clock.advance(6 * 60_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(overdue).toBeGreaterThan(0);
    stop.abort();
  });

  it('lists Self Service policies and records who ran one', async () => {
    const { rt } = await agent('self-service');
    const policy = (await t.api('POST', '/api/v1/policies', {
      name: 'Clear browser cache', triggers: ['custom:never'], frequency: 'once-per-computer', selfService: true,
      scope: { computers: [rt.state.computerId] }, payloads: [{ type: 'command', command: 'echo cleared' }],
    })).body;
    await checkin(rt);
    expect(selfServicePolicies(rt).map((p) => p.name)).toEqual(['Clear browser cache']);
    const listed = await runHoming(['agent', 'self-service', 'list', '--state-dir', rt.store.dir]);
    expect(listed.stdout).toBe('Clear browser cache\n');

    for (let i = 0; i < 2; i++) {
      const run = await runSelfService(rt, 'Clear browser cache');
      expect(run.ran[0]).toMatchObject({ status: 'success' });
    }
    const logs = (await t.api('GET', `/api/v1/policies/${policy.id}/logs`)).body;
    expect(logs.items).toHaveLength(2);
    expect(logs.items[0]).toMatchObject({ trigger: 'self-service', username: 'alice', status: 'success' });
    expect(logs.items[0].items[0].output).toBe('cleared\n');
    await expect(runSelfService(rt, 'No such policy')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
