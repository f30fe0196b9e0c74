import { randomBytes } from 'node:crypto';
import { Sequelize } from 'sequelize';

/** A uniquely named Postgres database (for a test coordinator or a benchmark run), dropped by `drop()`. */
export interface ThrowawayDatabase { url: string; drop(): Promise<void> }

async function onServer<T>(serverUrl: string, fn: (s: Sequelize) => Promise<T>): Promise<T> {
  const s = new Sequelize(serverUrl, { dialect: 'postgres', logging: false, pool: { max: 1 } });
  try { return await fn(s); } finally { await s.close(); }
}

/** Creates a database named `<prefix>_<unique>` on the server of `serverUrl`; its URL differs only in the database name. */
export async function createThrowawayDatabase(serverUrl: string, prefix = 'homing_t'): Promise<ThrowawayDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await onServer(serverUrl, (s) => s.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onServer(serverUrl, (s) => s.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/** True when the Postgres server at `serverUrl` answers. */
export async function postgresReachable(serverUrl: string): Promise<boolean> {
  try {
    await onServer(serverUrl, (s) => s.query('SELECT 1'));
    return true;
  } catch {
    return false;
  }
}
