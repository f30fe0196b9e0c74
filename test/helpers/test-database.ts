import { randomBytes } from 'node:crypto';
import { Sequelize } from 'sequelize';

/** A database made for one test coordinator (or several sharing it), dropped by `drop()`. */
export interface TestDatabase { url: string; drop(): Promise<void> }

/** The Postgres server tests run against, when `HOMING_TEST_DATABASE_URL` names one. */
export function testPostgresUrl(): string | undefined {
  const url = process.env.HOMING_TEST_DATABASE_URL;
  return url && /^postgres(ql)?:\/\//.test(url) ? url : undefined;
}

async function onServer<T>(serverUrl: string, fn: (s: Sequelize) => Promise<T>): Promise<T> {
  const s = new Sequelize(serverUrl, { dialect: 'postgres', logging: false, pool: { max: 1 } });
  try { return await fn(s); } finally { await s.close(); }
}

/** Creates a uniquely named database on the server of `serverUrl`; its URL differs only in the database name. */
export async function createTestDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `homing_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await onServer(serverUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onServer(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/** True when the Postgres server answers (tests that need it skip with a message otherwise). */
export async function postgresReachable(serverUrl: string): Promise<boolean> {
  try {
    await onServer(serverUrl, (c) => c.query('SELECT 1'));
    return true;
  } catch {
    return false;
  }
}
