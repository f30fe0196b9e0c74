import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCoordinatorConfig, type CoordinatorConfig } from '../../coordinator/config.js';
import { startCoordinator, type Coordinator } from '../../coordinator/coordinator.js';
import type { PackageCatalog } from '../../coordinator/nodes/package-catalog.js';
import type { Clock } from '../../shared/clock.js';
import { silentLogger } from '../../shared/logger.js';
import { createApiClient, type CallOptions } from './api-client.js';
import { createTestDatabase, testPostgresUrl } from './test-database.js';

export const ADMIN_PASSWORD = 'test-admin-password-123';

/** A coordinator on 127.0.0.1:0 with a temp data dir, plus helpers to call it. */
export interface TestCoordinator {
  coordinator: Coordinator;
  url: string;
  dataDir: string;
  /** The config it started with (restart with `{ ...t.config, port }` to keep its database and keys). */
  config: CoordinatorConfig;
  caPem: string;
  /** Admin bearer token. */
  token: string;
  api<T = any>(method: string, path: string, body?: unknown, opts?: CallOptions): Promise<{ status: number; body: T; headers: Record<string, unknown> }>;
  stop(): Promise<void>;
}

export type { CallOptions } from './api-client.js';

/**
 * Starts a real coordinator: SQLite in a temp dir, or, when `HOMING_TEST_DATABASE_URL` names a Postgres
 * server, a fresh database of its own there (dropped at stop) unless `config.db` is given.
 */
export async function startTestCoordinator(opts: { clock?: Clock; config?: Record<string, unknown>; packageCatalog?: PackageCatalog } = {}): Promise<TestCoordinator> {
  const dataDir = await mkdtemp(join(tmpdir(), 'homing-coord-'));
  const pgServer = testPostgresUrl();
  const ownDb = pgServer && opts.config?.db === undefined ? await createTestDatabase(pgServer) : undefined;
  const config = readCoordinatorConfig({
    dataDir, port: 0, p2pPort: 0, host: '127.0.0.1', adminPassword: ADMIN_PASSWORD,
    ...(ownDb ? { db: ownDb.url } : {}),
    ...opts.config,
  }, {});
  let coordinator: Coordinator;
  try {
    coordinator = await startCoordinator(config, silentLogger(), opts.clock, { packageCatalog: opts.packageCatalog });
  } catch (err) {
    await ownDb?.drop();
    throw err;
  }
  const caPem = coordinator.keys.ca.certPem;
  const client = createApiClient(caPem, () => t.coordinator.url, () => t.token);
  const t: TestCoordinator = {
    coordinator, url: coordinator.url, dataDir, config, caPem, token: '',
    api: (method, path, body, o) => client.api(method, path, body, o),
    async stop() {
      await client.close();
      await t.coordinator.stop();
      await ownDb?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  const signIn = await t.api('POST', '/api/v1/auth/token', { username: 'admin', password: ADMIN_PASSWORD }, { token: null });
  if (signIn.status !== 200) throw new Error(`admin sign-in failed: ${JSON.stringify(signIn.body)}`);
  t.token = signIn.body.token;
  return t;
}

/** Creates an enrollment token through the admin API. */
export async function enrollmentToken(t: TestCoordinator, uses = 1, expiresInSeconds = 3600): Promise<string> {
  const res = await t.api('POST', '/api/v1/enrollment-tokens', { uses, expiresInSeconds });
  if (res.status !== 201) throw new Error(`token creation failed: ${JSON.stringify(res.body)}`);
  return res.body.token;
}
