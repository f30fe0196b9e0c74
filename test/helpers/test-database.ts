import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../../coordinator/db/database.js';
import { createThrowawayDatabase } from '../../coordinator/db/throwaway-database.js';

export { createThrowawayDatabase as createTestDatabase, postgresReachable, type ThrowawayDatabase as TestDatabase } from '../../coordinator/db/throwaway-database.js';

/** The Postgres server tests run against, when `HOMING_TEST_DATABASE_URL` names one. */
export function testPostgresUrl(): string | undefined {
  const url = process.env.HOMING_TEST_DATABASE_URL;
  return url && /^postgres(ql)?:\/\//.test(url) ? url : undefined;
}

/** A migrated coordinator database for one test: on the test Postgres server when one is named, else SQLite in a temp dir. */
export async function openTestDatabase(prefix: string): Promise<{ db: Database; close(): Promise<void> }> {
  const server = testPostgresUrl();
  const pg = server ? await createThrowawayDatabase(server) : undefined;
  const dir = pg ? undefined : await mkdtemp(join(tmpdir(), prefix));
  const db = new Database({ url: pg ? pg.url : join(dir!, 'homing.sqlite') });
  await db.migrate();
  return {
    db,
    async close() {
      await db.close();
      if (dir) await rm(dir, { recursive: true, force: true });
      await pg?.drop();
    },
  };
}
