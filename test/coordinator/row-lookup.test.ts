import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../coordinator/db/database.js';
import type { SettingRow } from '../../coordinator/db/models/computers.js';
import { openTestDatabase } from '../helpers/test-database.js';

describe('row lookups (one batched query for the lookups of one turn)', () => {
  let opened: { db: Database; close(): Promise<void> } | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  async function open(): Promise<Database> {
    opened = await openTestDatabase('homing-lookup-');
    return opened.db;
  }

  it('answers each of many concurrent lookups with its own row: repeated keys, missing keys, more keys than one query takes', async () => {
    const d = await open();
    await d.models.Setting.bulkCreate(Array.from({ length: 150 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })));
    const lookup = d.lookup<SettingRow>(d.models.Setting, 'key');
    const asked = [...Array.from({ length: 150 }, (_, i) => `k${i}`), 'k7', 'k7', 'k149', 'missing-1', 'missing-2', "k1' OR '1'='1"];
    const rows = await Promise.all(asked.map((key) => lookup.get(key)));
    asked.forEach((key, i) => {
      if (/^k\d+$/.test(key)) expect(rows[i]).toEqual({ key, value: `v${key.slice(1)}` });
      else expect(rows[i]).toBeUndefined();
    });
    // Callers asking for the same key get equal rows, not one shared object.
    expect(rows[150]).not.toBe(rows[7]);
    // A later turn sees a later write.
    await d.models.Setting.update({ value: 'changed' }, { where: { key: 'k7' } });
    expect((await lookup.get('k7'))?.value).toBe('changed');
  });

  it('returns rows exactly as Sequelize reads them: dates, booleans, nulls, integers and text that looks like JSON', async () => {
    const d = await open();
    const computer = await d.models.Computer.create({
      uuid: 'u-1', name: 'Zoë\'s "Mac" ☕', serial: '[1,2]', model: '{"a":1}', osName: 'null', osVersion: '12.5', ipAddress: '10.0.0.1',
      username: '', certSerial: '0a1b', certNotAfter: new Date('2027-01-02T03:04:05.678Z'), status: 'managed',
      checkinIntervalSeconds: 1800, enrolledAt: new Date('2026-11-26T20:00:00.001Z'), lastInventoryAt: new Date(0),
    });
    await d.models.ExtensionAttribute.bulkCreate([true, false].map((enabled) => ({
      name: `ea-${enabled}`, description: '', dataType: 'string' as const, script: '#!/bin/sh', enabled, createdAt: new Date(1), updatedAt: new Date(2),
    })));
    const computers = d.lookup<object>(d.models.Computer, 'uuid', ['inventory']);
    const { inventory: _, ...expected } = (await d.models.Computer.findByPk(computer.id))!.get({ plain: true });
    expect(await computers.get('u-1')).toEqual(expected);
    const attributes = d.lookup<object>(d.models.ExtensionAttribute, 'name');
    for (const name of ['ea-true', 'ea-false']) {
      expect(await attributes.get(name)).toEqual((await d.models.ExtensionAttribute.findOne({ where: { name } }))!.get({ plain: true }));
    }
  });

  it('tells callers to come back once the database is closing', async () => {
    const d = await open();
    const lookup = d.lookup<SettingRow>(d.models.Setting, 'key');
    await opened!.close(); // the database, and its temp dir or Postgres database
    opened = undefined;
    await expect(lookup.get('k1')).rejects.toMatchObject({ status: 503 });
  });
});
