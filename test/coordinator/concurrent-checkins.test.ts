import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyAndCsr } from '../../shared/pki/csr.js';
import { enrollmentToken, startTestCoordinator, type TestCoordinator } from '../helpers/coordinator.js';
import { sampleInventory } from '../helpers/inventory.js';

const DEVICES = 200;

describe('concurrent check-ins on SQLite', () => {
  let t: TestCoordinator;
  beforeAll(async () => { t = await startTestCoordinator(); });
  afterAll(() => t?.stop());

  it('serves 200 concurrent check-ins and inventory reports while an admin edits: no 5xx, every write lands', async () => {
    // One key for every device keeps the test fast; the coordinator still issues 200 certificates.
    const { keyPem, csrPem } = await createKeyAndCsr('load');
    const token = await enrollmentToken(t, DEVICES);
    const devices = await Promise.all(Array.from({ length: DEVICES }, async () => {
      const res = await t.api('POST', '/device/v1/enroll', { token, csr: csrPem }, { token: null });
      expect(res.status).toBe(201);
      return { id: res.body.computerId as number, tls: { cert: res.body.certificate as string, key: keyPem } };
    }));

    const deviceWork = devices.map(async (d, i) => {
      const checkin = await t.api('POST', `/device/v1/computers/${d.id}/checkins`, { trigger: 'checkin' }, { token: null, tls: d.tls });
      const inv = await t.api('PUT', `/device/v1/computers/${d.id}/inventory`, { full: true, inventory: sampleInventory(`host-${i}`) }, { token: null, tls: d.tls });
      return [checkin.status, inv.status];
    });
    const adminWork = Array.from({ length: 20 }, (_, i) => t.api('POST', '/api/v1/extension-attributes', {
      name: `EA ${i}`, script: `#!/bin/sh\necho "<result>${i}</result>"\n`,
    }).then((r) => [r.status]));
    const statuses = (await Promise.all([...deviceWork, ...adminWork])).flat();
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s !== 200 && s !== 201)).toEqual([]);

    await t.coordinator.services.recorder.flush();
    expect((await t.api('GET', '/api/v1/extension-attributes')).body.total).toBe(20);
    const all = await t.api('GET', `/api/v1/computers?perPage=500`);
    expect(all.body.total).toBe(DEVICES);
    const names = new Set(all.body.items.map((c: { name: string }) => c.name));
    for (let i = 0; i < DEVICES; i++) expect(names.has(`host-${i}`)).toBe(true);
    expect(all.body.items.every((c: { checkinCount: number; lastCheckinAt: string | null }) => c.checkinCount === 1 && c.lastCheckinAt)).toBe(true);
  });
});
