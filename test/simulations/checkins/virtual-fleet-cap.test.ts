import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminApi } from '../../../simulations/checkins/admin-api.js';
import { CheckinMetrics } from '../../../simulations/checkins/checkin-metrics.js';
import { enrollFleet } from '../../../simulations/checkins/fleet-enrollment.js';
import { VirtualFleet } from '../../../simulations/checkins/virtual-fleet.js';
import { ADMIN_PASSWORD, startTestCoordinator, type TestCoordinator } from '../../helpers/coordinator.js';

const DEVICES = 40;
const CAP = 3;

describe('virtual fleet: visits in progress are capped', () => {
  let t: TestCoordinator;
  beforeAll(async () => { t = await startTestCoordinator(); });
  afterAll(() => t?.stop());

  it('a herd due at once never has more than the cap visiting; every device still checks in and late starts are counted', async () => {
    const access = { url: t.url, caPem: t.caPem, adminPassword: ADMIN_PASSWORD };
    const admin = await AdminApi.open(access);
    const devices = await enrollFleet(access, admin, DEVICES, 4).finally(() => admin.close());
    const metrics = new CheckinMetrics();
    const url = new URL(t.url);
    const fleet = new VirtualFleet({
      target: { host: url.hostname, port: Number(url.port), caPem: t.caPem, keyPem: devices.keyPem, timeoutMs: 30_000 },
      devices, speedup: 1, intervalSeconds: 1800, ticketLifetimeSeconds: 3600, metrics, maxVisiting: CAP,
    });
    const checkedIn = new Set<number>();
    let most = 0;
    fleet.onCheckin((device) => { checkedIn.add(device); most = Math.max(most, fleet.visiting); });
    fleet.scheduleWithin(0);
    fleet.start();
    const deadline = Date.now() + 60_000;
    while (checkedIn.size < DEVICES && Date.now() < deadline) {
      most = Math.max(most, fleet.visiting);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await fleet.stop();

    expect(checkedIn.size).toBe(DEVICES);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(CAP);
    expect(metrics.totals.errors).toBe(0);
    expect(metrics.starts.visits).toBe(DEVICES);
  });
});
