import { createThrowawayDatabase, postgresReachable } from '../../coordinator/db/throwaway-database.js';
import { startCoordinatorProcess, type CoordinatorProcess, type CoordinatorProcessOptions } from './coordinator-process.js';
import { enrollDevices } from './devices.js';
import { runKeepAlive } from './keepalive-load.js';
import type { Resources } from './resources.js';

const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432/test';

/** Check-in throughput on Postgres with 1 and 2 coordinator processes, beside the SQLite figure of the same run. */
export interface PostgresComparison { sqlite: number; postgres1: number; postgres2: number; skipped?: string }

/** Takes `--db sqlite|postgres|postgres://server/db` out of the bench arguments (the rest go to the usual parser). */
export function takeDbOption(argv: string[]): { db?: string; rest: string[] } {
  const rest = [...argv];
  const i = rest.findIndex((a) => a === '--db' || a.startsWith('--db='));
  if (i < 0) return { rest };
  const [flag] = rest.splice(i, 1);
  const db = flag!.includes('=') ? flag!.slice(flag!.indexOf('=') + 1) : rest.splice(i, 1)[0];
  if (!db || !/^(sqlite|postgres(ql)?(:\/\/.*)?)$/.test(db)) throw new Error(`--db must be sqlite, postgres or postgres://…, got "${db ?? ''}"`);
  return { db, rest };
}

// Coordinators of one Postgres share keys through the database; the bench's process env reaches the children.
async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try { return await fn(); } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
}

/** Keep-alive check-ins/s over all `servers` at once, the connections split between them. */
async function throughput(servers: CoordinatorProcess[], load: { path: string; body: string; tls: { ca: string; cert: string; key: string } }, connections: number, seconds: number): Promise<number> {
  const runs = await Promise.all(servers.map((s, i) => runKeepAlive({
    url: s.url, ...load, connections: Math.max(1, Math.round(connections / servers.length)), durationSeconds: seconds,
    label: `postgres, ${servers.length} coordinator(s): #${i + 1} keep-alive check-ins`,
  })));
  return runs.reduce((sum, r) => sum + r.requestsPerSecond, 0);
}

/**
 * Starts two coordinator processes on a fresh database of the Postgres server `db` names (dropped afterwards),
 * enrolls a device, and measures keep-alive check-ins against the first alone, then against both together.
 */
export async function runPostgresComparison(
  db: string, sqliteRequestsPerSecond: number, resources: Resources, processOptions: CoordinatorProcessOptions,
  load: { connections: number; durationSeconds: number },
): Promise<PostgresComparison> {
  const server = db.startsWith('postgres://') || db.startsWith('postgresql://') ? db : DEFAULT_SERVER;
  if (!(await postgresReachable(server))) return { sqlite: sqliteRequestsPerSecond, postgres1: 0, postgres2: 0, skipped: `no PostgreSQL answers at ${server}` };
  const database = await createThrowawayDatabase(server, 'homing_bench');
  try {
    const env = {
      HOMING_DB_URL: database.url, HOMING_KEY_STORE: 'database', HOMING_KEY_ENCRYPTION_KEY: `bench-${Date.now()}-key-encryption`,
      HOMING_P2P_PORT: '0', // beside the SQLite coordinator's origin seeder
    };
    const first = await withEnv(env, () => startCoordinatorProcess(resources, processOptions));
    const second = await withEnv(env, () => startCoordinatorProcess(resources, processOptions));
    try {
      const fleet = await enrollDevices(first, 1);
      const d = fleet.devices[0]!;
      const request = { path: d.checkinPath, body: d.checkinBody, tls: { ca: first.caPem, cert: d.certPem, key: d.keyPem } };
      const postgres1 = await throughput([first], request, load.connections, load.durationSeconds);
      const postgres2 = await throughput([first, second], request, load.connections, load.durationSeconds);
      return { sqlite: sqliteRequestsPerSecond, postgres1, postgres2 };
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  } finally {
    await database.drop();
  }
}

/** The comparison as a few lines for the report. */
export function formatPostgresComparison(c: PostgresComparison): string {
  if (c.skipped) return `Postgres runs SKIPPED: ${c.skipped}\n`;
  const rel = (n: number) => `${(n / c.sqlite).toFixed(2)}× SQLite`;
  return [
    'Keep-alive check-ins by database (same run, same load generator):',
    `  SQLite, 1 coordinator     ${c.sqlite.toFixed(0).padStart(7)} /s`,
    `  Postgres, 1 coordinator   ${c.postgres1.toFixed(0).padStart(7)} /s  (${rel(c.postgres1)})`,
    `  Postgres, 2 coordinators  ${c.postgres2.toFixed(0).padStart(7)} /s  (${rel(c.postgres2)}; ${(c.postgres2 / c.postgres1).toFixed(2)}× one Postgres coordinator)`,
    '',
  ].join('\n');
}
