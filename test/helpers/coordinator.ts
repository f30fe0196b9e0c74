import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { readCoordinatorConfig, type CoordinatorConfig } from '../../coordinator/config.js';
import { startCoordinator, type Coordinator } from '../../coordinator/coordinator.js';
import type { PackageCatalog } from '../../coordinator/nodes/package-catalog.js';
import type { Clock } from '../../shared/clock.js';
import { silentLogger } from '../../shared/logger.js';
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

export interface CallOptions { token?: string | null; tls?: { cert: string; key: string }; rawBody?: string; contentType?: string }

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
    coordinator = await startCoordinator(config, silentLogger(), opts.clock);
  } catch (err) {
    await ownDb?.drop();
    throw err;
  }
  const caPem = coordinator.keys.ca.certPem;
  const agents = new Map<string, Agent>();
  const agentFor = (tls?: { cert: string; key: string }) => {
    const key = tls ? tls.cert : 'anon';
    let a = agents.get(key);
    if (!a) { a = new Agent({ connect: { ca: caPem, ...(tls ?? {}) } }); agents.set(key, a); }
    return a;
  };
  const t: TestCoordinator = {
    coordinator, url: coordinator.url, dataDir, config, caPem, token: '',
    async api(method, path, body, o = {}) {
      const token = o.token === undefined ? t.token : o.token;
      const res = await request(new URL(path, t.coordinator.url), {
        method: method as 'GET', dispatcher: agentFor(o.tls),
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined || o.rawBody !== undefined ? { 'content-type': o.contentType ?? 'application/json' } : {}),
        },
        body: o.rawBody ?? (body !== undefined ? JSON.stringify(body) : undefined),
      });
      const text = await res.body.text();
      let parsed: unknown = text;
      try { parsed = text ? JSON.parse(text) : undefined; } catch { /* non-JSON answers stay text */ }
      return { status: res.statusCode, body: parsed as any, headers: res.headers };
    },
    async stop() {
      await Promise.all([...agents.values()].map((a) => a.close()));
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
