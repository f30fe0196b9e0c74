import { afterEach, describe, expect, it } from 'vitest';
import { startCoordinator } from '../../coordinator/coordinator.js';
import { createKeyAndCsr } from '../../shared/pki/csr.js';
import { silentLogger } from '../../shared/logger.js';
import { enrollmentToken, startTestCoordinator, type TestCoordinator } from '../helpers/coordinator.js';
import { sampleInventory } from '../helpers/inventory.js';

const DEVICES = 60;

describe('stopping the coordinator while it serves', () => {
  let t: TestCoordinator | undefined;
  afterEach(async () => { await t?.stop(); t = undefined; });

  it('finishes the requests in flight: no 5xx, and every acknowledged write is there after a restart', async () => {
    t = await startTestCoordinator();
    const { keyPem, csrPem } = await createKeyAndCsr('stop');
    const token = await enrollmentToken(t, DEVICES);
    const devices = await Promise.all(Array.from({ length: DEVICES }, async () => {
      const res = await t!.api('POST', '/device/v1/enroll', { token, csr: csrPem }, { token: null });
      expect(res.status).toBe(201);
      return { id: res.body.computerId as number, tls: { cert: res.body.certificate as string, key: keyPem } };
    }));

    // Inventory writes queue behind each other; stop as soon as the first is answered, with the rest in flight.
    let firstAnswered!: () => void;
    const first = new Promise<void>((resolve) => { firstAnswered = resolve; });
    const writes = devices.map((d, i) => t!.api('PUT', `/device/v1/computers/${d.id}/inventory`, { full: true, inventory: sampleInventory(`stop-${i}`) }, { token: null, tls: d.tls })
      .then((r) => { firstAnswered(); return { i, status: r.status }; }, (err: Error) => ({ i, status: 0, err: err.message })));
    await first;
    const running = t.coordinator;
    await running.stop();
    const outcomes = await Promise.all(writes);

    expect(outcomes.filter((o) => o.status >= 500)).toEqual([]);
    const acknowledged = outcomes.filter((o) => o.status === 200).map((o) => o.i);
    expect(acknowledged.length).toBeGreaterThan(1);

    t.coordinator = await startCoordinator({ ...t.config, port: 0 }, silentLogger());
    t.url = t.coordinator.url;
    const names = new Set((await t.api('GET', '/api/v1/computers?perPage=500')).body.items.map((c: { name: string }) => c.name));
    for (const i of acknowledged) expect(names.has(`stop-${i}`)).toBe(true);
  });
});
