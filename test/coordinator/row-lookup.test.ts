import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Database } from '../../coordinator/db/database.js';
import type { SettingRow } from '../../coordinator/db/models/computers.js';
import { createTestDatabase, testPostgresUrl, type TestDatabase } from '../helpers/test-database.js';

describe('row lookups (one batched query for the lookups of one turn)', () => {
  let db: Database | undefined;
  let dir: string | undefined;
  let pg: TestDatabase | undefined;
  afterEach(async () => {
    await db?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    await pg?.drop();
    db = undefined; dir = undefined; pg = undefined;
  });

  async function open(): Promise<Database> {
    const server = testPostgresUrl();
    if (server) pg = await createTestDatabase(server);
    else dir = await mkdtemp(join(tmpdir(), 'homing-lookup-'));
    db = new Database({ url: pg ? pg.url : join(dir!, 'homing.sqlite') });
    await db.migrate();
    return db;
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
    // A later turn sees a later write.
    await d.models.Setting.update({ value: 'changed' }, { where: { key: 'k7' } });
    expect((await lookup.get('k7'))?.value).toBe('changed');
  });

  it('tells callers to come back once the database is closing', async () => {
    const d = await open();
    const lookup = d.lookup<SettingRow>(d.models.Setting, 'key');
    await d.close();
    db = undefined;
    await expect(lookup.get('k1')).rejects.toMatchObject({ status: 503 });
  });
});
