import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDaemon } from '../../agent/daemon.js';
import { enroll } from '../../agent/enroll.js';
import type { AgentRuntime } from '../../agent/runtime.js';
import { startCoordinator } from '../../coordinator/coordinator.js';
import { ManualClock } from '../../shared/clock.js';
import { RemoteError } from '../../shared/errors.js';
import { HttpClient } from '../../shared/http-client.js';
import { silentLogger } from '../../shared/logger.js';
import { enrollmentToken, startTestCoordinator, type TestCoordinator } from '../helpers/coordinator.js';
import { enrollDevice } from '../helpers/device.js';
import { sampleInventory } from '../helpers/inventory.js';

const DEAD_URL = 'https://127.0.0.1:1';

describe('agent daemon', () => {
  let t: TestCoordinator;
  let work: string;
  beforeAll(async () => {
    t = await startTestCoordinator();
    work = await mkdtemp(join(tmpdir(), 'homing-daemon-'));
  });
  afterAll(async () => {
    await t?.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('fails over between coordinator URLs, backs off while the coordinator is down, and recovers', async () => {
    const clock = new ManualClock(Date.now());
    const deps = { clock, logger: silentLogger(), collect: async () => sampleInventory('daemon-host') };
    const { runtime } = await enroll({
      coordinatorUrls: [DEAD_URL, t.url], caPem: t.caPem, token: await enrollmentToken(t), stateDir: join(work, 'a'), root: '/',
    }, deps);
    const rt: AgentRuntime = runtime;
    expect(rt.state.coordinatorUrls[0]).toBe(DEAD_URL);

    const cycles: { ok: boolean; nextAt: number; error?: Error }[] = [];
    let wake: () => void = () => {};
    const nextCycle = () => new Promise<void>((r) => { wake = r; });
    const stop = new AbortController();
    let pending = nextCycle();
    const daemon = runDaemon(rt, { signal: stop.signal, startupDelayMs: 0, onCycle: (c) => { cycles.push(c); wake(); } });

    const step = async () => {
      const target = cycles.length ? cycles[cycles.length - 1]!.nextAt : clock.now();
      pending = nextCycle();
      await clock.whenSleeping();
      await clock.advance(Math.max(0, target - clock.now()));
    };
    await clock.whenSleeping();
    await clock.advance(0);
    await pending;
    expect(cycles[0]!.ok).toBe(true);
    await expect(runDaemon(rt, { signal: stop.signal })).rejects.toMatchObject({ code: 'ALREADY_RUNNING' });

    // Coordinator goes away: the daemon backs off instead of hammering it.
    const port = t.coordinator.port;
    await t.coordinator.stop();
    await step(); await pending;
    await step(); await pending;
    expect(cycles.slice(1).map((c) => c.ok)).toEqual([false, false]);
    expect(cycles[1]!.error).toBeInstanceOf(RemoteError);
    const delay = cycles[2]!.nextAt - clock.now();
    expect(delay).toBeLessThan(rt.state.checkinIntervalSeconds * 1000 + 1);

    // It comes back on the same address: the next attempt succeeds.
    t.coordinator = await startCoordinator({ ...t.config, port }, silentLogger());
    await step(); await pending;
    expect(cycles[3]!.ok).toBe(true);
    const interval = rt.state.checkinIntervalSeconds * 1000;
    expect(cycles[3]!.nextAt - clock.now()).toBeGreaterThan(0);
    expect(cycles[3]!.nextAt - clock.now()).toBeLessThanOrEqual(interval + 300_000);

    stop.abort();
    await daemon;
    await rt.client.close();
  });

  it('gets 503 with Retry-After when the coordinator sheds load', async () => {
    const busy = await startTestCoordinator({ config: { maxInFlightDeviceRequests: 1 } });
    try {
      const d = await enrollDevice(busy);
      const client = new HttpClient({ urls: [busy.url], ca: busy.caPem, cert: d.cert, key: d.key });
      const results = await Promise.allSettled(Array.from({ length: 30 }, () => client.json('POST', `/device/v1/computers/${d.computerId}/checkins`, { trigger: 'checkin' })));
      const shed = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as RemoteError);
      expect(shed.length).toBeGreaterThan(0);
      for (const e of shed) {
        expect(e.status).toBe(503);
        expect(e.retryable).toBe(true);
        expect(e.retryAfterSeconds).toBeGreaterThanOrEqual(30);
        expect(e.retryAfterSeconds).toBeLessThanOrEqual(120);
      }
      expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
      await client.close();
    } finally {
      await busy.stop();
    }
  });
});
