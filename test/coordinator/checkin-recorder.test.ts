import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../coordinator/db/database.js';
import { CheckinRecorder } from '../../coordinator/services/checkin-recorder.js';
import { silentLogger } from '../../shared/logger.js';
import { openTestDatabase } from '../helpers/test-database.js';

describe('check-in recorder (last-seen updates in batches)', () => {
  let opened: { db: Database; close(): Promise<void> } | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  async function open(): Promise<Database> {
    opened = await openTestDatabase('homing-recorder-');
    return opened.db;
  }

  it('writes each computer\'s last check-in, address and count, over more computers than one statement takes, and nothing else', async () => {
    const d = await open();
    const computers = await d.models.Computer.bulkCreate(Array.from({ length: 1203 }, (_, i) => ({
      uuid: `u-${i}`, name: `mac-${i}`, serial: '', model: '', osName: '', osVersion: '', ipAddress: '10.0.0.1', username: '',
      certSerial: `s${i}`, certNotAfter: new Date('2027-01-01T00:00:00.000Z'), status: 'managed' as const, checkinIntervalSeconds: 1800,
      enrolledAt: new Date('2026-11-01T00:00:00.000Z'),
    })));
    const ids = computers.map((c) => c.id);
    const recorder = new CheckinRecorder(d, silentLogger(), 60_000);
    const base = Date.parse('2026-11-27T01:02:03.456Z');
    // Every computer but the last checks in; every third twice (the later time and address win); one address is quote-shaped.
    ids.slice(0, -1).forEach((id, i) => {
      recorder.record(id, new Date(base + i), `10.1.${i % 250}.${i % 7}`);
      if (i % 3 === 0) recorder.record(id, new Date(base + 10_000 + i), i === 3 ? "fe80::1'; DROP TABLE computers; --" : `10.2.0.${i % 250}`);
    });
    await recorder.flush();
    await recorder.flush(); // nothing pending: no change

    const rows = new Map((await d.models.Computer.findAll()).map((r) => [r.id, r.get({ plain: true })]));
    expect(rows.size).toBe(1203);
    ids.slice(0, -1).forEach((id, i) => {
      const row = rows.get(id)!;
      const twice = i % 3 === 0;
      expect(row.checkinCount).toBe(twice ? 2 : 1);
      expect(row.lastCheckinAt).toEqual(new Date(twice ? base + 10_000 + i : base + i));
      expect(row.ipAddress).toBe(twice ? (i === 3 ? "fe80::1'; DROP TABLE computers; --" : `10.2.0.${i % 250}`) : `10.1.${i % 250}.${i % 7}`);
      expect(row.name).toBe(`mac-${i}`);
    });
    // The device lookup behind every check-in reads the dates as written (same stored form as Sequelize's own writes).
    const lookup = d.lookup<{ lastCheckinAt: Date | null }>(d.models.Computer, 'uuid', ['inventory']);
    expect((await lookup.get('u-1'))!.lastCheckinAt).toEqual(new Date(base + 1));
    const untouched = rows.get(ids.at(-1)!)!;
    expect(untouched).toMatchObject({ checkinCount: 0, lastCheckinAt: null, ipAddress: '10.0.0.1' });

    // Counts add up over flushes.
    recorder.record(ids[0]!, new Date(base + 99_000), '10.9.9.9');
    await recorder.stop();
    const first = (await d.models.Computer.findByPk(ids[0]!))!;
    expect(first.checkinCount).toBe(3);
    expect(first.lastCheckinAt).toEqual(new Date(base + 99_000));
  });
});
