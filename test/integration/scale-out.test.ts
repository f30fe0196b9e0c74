import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sequelize } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoordinatorClient } from '../../agent/coordinator-client.js';
import { createKeyAndCsr } from '../../shared/pki/csr.js';
import type { PolicyResult } from '../../shared/schemas/policy-results.js';
import { createApiClient, type ApiClient } from '../helpers/api-client.js';
import { sampleInventory } from '../helpers/inventory.js';
import { ADMIN_PASSWORD } from '../helpers/coordinator.js';
import { freePort, spawnCoordinator, type CoordinatorProcess } from '../helpers/coordinator-process.js';
import { createTestDatabase, postgresReachable, testPostgresUrl, type TestDatabase } from '../helpers/test-database.js';

const SERVER = testPostgresUrl() ?? 'postgres://postgres@127.0.0.1:5432/test';
const reachable = await postgresReachable(SERVER);
if (!reachable) process.stdout.write(`SKIPPED scale-out tests: no PostgreSQL answers at ${SERVER}\n`);

describe.skipIf(!reachable)('two coordinator processes on one PostgreSQL', () => {
  let db: TestDatabase;
  let work: string;
  let a: CoordinatorProcess;
  let b: CoordinatorProcess;
  let apiA: ApiClient;
  let apiB: ApiClient;
  let caPem: string;
  let token = '';

  beforeAll(async () => {
    db = await createTestDatabase(SERVER);
    work = await mkdtemp(join(tmpdir(), 'homing-scale-'));
    const ports = [await freePort(), await freePort()];
    const env = {
      HOMING_DB_URL: db.url, HOMING_ADMIN_PASSWORD: ADMIN_PASSWORD, HOMING_P2P_PORT: '0',
      HOMING_KEY_STORE: 'database', HOMING_KEY_ENCRYPTION_KEY: 'scale-out-test-key-encryption-key',
      HOMING_PUBLIC_URLS: ports.map((p) => `https://127.0.0.1:${p}`).join(','),
    };
    // Started together on an empty database: one migrates and creates the keys and admin, the other waits and loads them.
    [a, b] = await Promise.all(ports.map((port, i) => spawnCoordinator({ port, dataDir: join(work, `c${i}`), env })));
    caPem = await readFile(join(work, 'c0', 'ca.pem'), 'utf8');
    apiA = createApiClient(caPem, () => a.url, () => token);
    apiB = createApiClient(caPem, () => b.url, () => token);
    const signIn = await apiA.api('POST', '/api/v1/auth/token', { username: 'admin', password: ADMIN_PASSWORD }, { token: null });
    expect(signIn.status).toBe(200);
    token = signIn.body.token;
  }, 180_000);

  afterAll(async () => {
    await Promise.all([a?.kill(), b?.kill()]);
    await Promise.all([apiA?.close(), apiB?.close()]);
    await db?.drop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const enroll = async (api: ApiClient, enrollmentToken: string) => {
    const { keyPem, csrPem } = await createKeyAndCsr('scale-device');
    const res = await api.api('POST', '/device/v1/enroll', { token: enrollmentToken, csr: csrPem }, { token: null });
    return { status: res.status, computerId: res.body?.computerId as number, tls: { cert: res.body?.certificate as string, key: keyPem } };
  };
  const newToken = async (uses = 1) => (await apiA.api('POST', '/api/v1/enrollment-tokens', { uses, expiresInSeconds: 600 })).body.token as string;

  it('shares one CA (keys encrypted in the database) and one admin between both', async () => {
    expect(await readFile(join(work, 'c1', 'ca.pem'), 'utf8')).toBe(caPem);
    const sql = new Sequelize(db.url, { dialect: 'postgres', logging: false });
    const [keys] = await sql.query(`SELECT "key", value FROM settings WHERE "key" LIKE 'pki:%key%'`) as [{ key: string; value: string }[], unknown];
    await sql.close();
    expect(keys.map((k) => k.key).sort()).toEqual(['pki:ca-key.pem', 'pki:online-key.pem', 'pki:package-key.pem']);
    for (const k of keys) expect(k.value).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    expect((await apiB.api('GET', '/api/v1/computers')).status).toBe(200);
    const rows = await apiB.api('GET', '/api/v1/users');
    expect(rows.body.items.map((u: { username: string }) => u.username)).toEqual(['admin']);
  });

  it('issues exactly one certificate for a one-use token used in parallel at both', async () => {
    const once = await newToken(1);
    const attempts = await Promise.all(Array.from({ length: 20 }, (_, i) => enroll(i % 2 ? apiB : apiA, once)));
    expect(attempts.filter((r) => r.status === 201)).toHaveLength(1);
    expect(attempts.filter((r) => r.status !== 201).every((r) => r.status === 403)).toBe(true);
  });

  it('delivers a policy changed through one coordinator to an agent checking in at the other on its next check-in', async () => {
    const device = await enroll(apiA, await newToken());
    const checkinAt = async (api: ApiClient, etag?: string) =>
      (await api.api('POST', `/device/v1/computers/${device.computerId}/checkins`, { trigger: 'checkin', ...(etag ? { etag } : {}) }, { token: null, tls: device.tls })).body;
    const first = await checkinAt(apiB);
    expect(first.bundle.policies).toEqual([]);
    const script = await apiA.api('POST', '/api/v1/scripts', { name: 'Hello', content: '#!/bin/sh\necho hi\n' });
    const policy = await apiA.api('POST', '/api/v1/policies', {
      name: 'Everywhere', enabled: true, triggers: ['checkin'], frequency: 'ongoing', scope: { all: true }, payloads: [{ type: 'script', scriptId: script.body.id }],
    });
    expect(policy.status).toBe(201);
    const second = await checkinAt(apiB, first.etag);
    expect(second.status).toBe('modified');
    expect(second.bundle.policies.map((p: { name: string }) => p.name)).toEqual(['Everywhere']);
    // And back the other way: renamed at B, seen at A at once.
    expect((await apiB.api('PATCH', `/api/v1/policies/${policy.body.id}`, { name: 'Renamed' })).status).toBe(200);
    const third = await checkinAt(apiA, second.etag);
    expect(third.bundle.policies.map((p: { name: string }) => p.name)).toEqual(['Renamed']);
  });

  it('recalculates smart groups at one coordinator with a group just created at the other', async () => {
    const device = await enroll(apiA, await newToken());
    const report = (hostname: string) => apiA.api('PUT', `/device/v1/computers/${device.computerId}/inventory`,
      { full: true, inventory: sampleInventory(hostname) }, { token: null, tls: device.tls });
    expect((await report('before-host')).status).toBe(200); // A compiles and caches the groups as they are now
    const group = await apiB.api('POST', '/api/v1/groups', { kind: 'smart', name: 'Lab', criteria: [{ field: 'computer.name', operator: 'is', value: 'lab-host' }] });
    expect(group.status).toBe(201);
    expect((await report('lab-host')).status).toBe(200);
    expect((await apiB.api('GET', `/api/v1/groups/${group.body.id}`)).body.memberCount).toBe(1);
  });

  it('loses no acknowledged result when one coordinator is killed, and the agent moves to the other', async () => {
    const device = await enroll(apiA, await newToken());
    const policies = await apiA.api('GET', '/api/v1/policies');
    const policyId = policies.body.items[0].id as number;
    const agent = new CoordinatorClient([a.url, b.url], { ca: caPem, ...device.tls }, { timeoutMs: 5000 });
    const acknowledged: string[] = [];
    const result = (n: number): PolicyResult => ({
      idempotencyKey: `scale-out-result-${String(n).padStart(4, '0')}`, policyId, trigger: 'checkin', username: null,
      status: 'success', startedAt: Date.now(), finishedAt: Date.now(), items: [],
    });
    let n = 0;
    const sendUntil = async (stop: () => boolean) => {
      while (!stop()) {
        const r = result(n++);
        await agent.reportPolicyResults(device.computerId, [r]);
        acknowledged.push(r.idempotencyKey);
      }
    };
    const sending = sendUntil(() => acknowledged.length >= 60);
    while (acknowledged.length < 10) await new Promise((r) => setTimeout(r, 20));
    await a.kill('SIGKILL');
    await sending;
    expect((await agent.checkin(device.computerId, 'checkin', undefined)).status).toBe('modified');
    // Every result was acknowledged once (re-sent to B after A died, same key): exactly those are stored.
    const logs = await apiB.api('GET', `/api/v1/policies/${policyId}/logs?perPage=500`);
    expect(logs.body.items.filter((l: { computerId: number }) => l.computerId === device.computerId)).toHaveLength(acknowledged.length);
  });
});
