import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestCoordinator, type TestCoordinator } from '../helpers/coordinator.js';
import { enrollDevice } from '../helpers/device.js';

const PUBLIC = new Set(['POST /api/v1/auth/token', 'POST /api/v1/auth/session', 'POST /device/v1/enroll', 'GET /device/v1/ca', 'POST /node/v1/join']);
const EA = { name: 'Disk encryption', script: '#!/bin/sh\necho "<result>on</result>"\n' };

describe('admin REST API', () => {
  let t: TestCoordinator;
  beforeAll(async () => { t = await startTestCoordinator(); });
  afterAll(() => t?.stop());

  it('serves health, OpenAPI and (authenticated) Prometheus metrics', async () => {
    expect((await t.api('GET', '/healthz', undefined, { token: null })).body).toEqual({ status: 'ok' });
    const spec = await t.api('GET', '/api/v1/openapi.json', undefined, { token: null });
    expect(spec.body.openapi).toBe('3.1.0');
    expect(Object.keys(spec.body.paths)).toContain('/api/v1/computers/{id}');
    expect((await t.api('GET', '/metrics', undefined, { token: null })).status).toBe(401);
    const metrics = await t.api('GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('homing_http_request_duration_seconds');
    expect(metrics.body).toContain('homing_db_query_duration_seconds');
  });

  it('answers every documented route without credentials with 401/403 (enrollment excepted)', async () => {
    const spec = (await t.api('GET', '/api/v1/openapi.json', undefined, { token: null })).body;
    const routes: string[] = [];
    for (const [path, ops] of Object.entries<Record<string, unknown>>(spec.paths)) {
      for (const method of Object.keys(ops)) routes.push(`${method.toUpperCase()} ${path}`);
    }
    expect(routes.length).toBeGreaterThan(12);
    for (const r of routes) {
      if (PUBLIC.has(r)) continue;
      const [method, path] = r.split(' ') as [string, string];
      const res = await t.api(method, path.replace(/\{\w+\}/g, '1'), ['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined, { token: null });
      expect([401, 403], `${r} → ${res.status}`).toContain(res.status);
    }
  });

  it('refuses malformed, oversize, unknown-field and __proto__ bodies with 4xx and changes nothing', async () => {
    const path = '/api/v1/extension-attributes';
    const bad: [unknown, string | undefined, number, string][] = [
      [undefined, '{"name": ', 400, 'MALFORMED_BODY'],
      [undefined, '{"__proto__": {"admin": true}, "name": "x", "script": "#!/bin/sh"}', 400, 'MALFORMED_BODY'],
      [undefined, JSON.stringify({ ...EA, script: `#!/bin/sh\n${'x'.repeat(300_000)}` }), 413, 'PAYLOAD_TOO_LARGE'],
      [{ ...EA, surprise: 1 }, undefined, 400, 'VALIDATION_FAILED'],
      [{ ...EA, script: 'echo no shebang' }, undefined, 400, 'VALIDATION_FAILED'],
      [[1, 2, 3], undefined, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, rawBody, status, code] of bad) {
      const res = await t.api('POST', path, body, rawBody !== undefined ? { rawBody } : {});
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body.error.code).toBe(code);
    }
    const wrongType = await t.api('POST', path, undefined, { rawBody: JSON.stringify(EA), contentType: 'text/plain' });
    expect(wrongType.status).toBe(400);
    expect((await t.api('GET', path)).body.total).toBe(0);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('allowlists sorting and treats search text literally', async () => {
    await enrollDevice(t);
    await enrollDevice(t);
    const injected = await t.api('GET', '/api/v1/computers?sort=' + encodeURIComponent('id; DROP TABLE computers'));
    expect(injected.status).toBe(400);
    expect(injected.body.error.code).toBe('VALIDATION_FAILED');
    for (const literalText of ['%', '_', '!', '\\']) {
      const res = await t.api('GET', '/api/v1/computers?q=' + encodeURIComponent(literalText));
      expect(res.body.total, literalText).toBe(0);
    }
    const dev = (await t.api('GET', '/api/v1/computers')).body.items[0];
    const byUuid = await t.api('GET', '/api/v1/computers?q=' + dev.uuid.slice(0, 8).toUpperCase());
    expect(byUuid.body.items.map((c: { id: number }) => c.id)).toEqual([dev.id]);
    const quote = await t.api('GET', '/api/v1/computers?q=' + encodeURIComponent("' OR 1=1 --"));
    expect(quote.status).toBe(200);
    expect(quote.body.total).toBe(0);
    const unknownParam = await t.api('GET', '/api/v1/computers?where=1');
    expect(unknownParam.status).toBe(400);
    const paged = await t.api('GET', '/api/v1/computers?perPage=1&page=2&sort=id&order=desc');
    expect(paged.body.items).toHaveLength(1);
    expect(paged.body.total).toBe(2);
    expect((await t.api('GET', '/api/v1/computers?perPage=100000')).status).toBe(400);
  });

  it('gives auditors read access only, and records admin writes in the audit log without secrets', async () => {
    const created = await t.api('POST', '/api/v1/users', { username: 'auditor1', password: 'auditor-password-1', role: 'auditor' });
    expect(created.status).toBe(201);
    const auditorToken = (await t.api('POST', '/api/v1/auth/token', { username: 'auditor1', password: 'auditor-password-1' }, { token: null })).body.token;
    expect((await t.api('GET', '/api/v1/computers', undefined, { token: auditorToken })).status).toBe(200);
    const write = await t.api('POST', '/api/v1/extension-attributes', EA, { token: auditorToken });
    expect(write.status).toBe(403);
    expect(write.body.error.message).toContain('read-only');
    expect((await t.api('POST', '/api/v1/enrollment-tokens', { uses: 1 }, { token: auditorToken })).status).toBe(403);

    const log = (await t.api('GET', '/api/v1/audit-log')).body.items as { username: string; action: string; details: Record<string, unknown> }[];
    const userEntry = log.find((e) => e.action === 'POST /api/v1/users');
    expect(userEntry?.username).toBe('admin');
    expect(userEntry?.details.password).toBe('[redacted]');
    expect(JSON.stringify(log)).not.toContain('auditor-password-1');
    expect(log.some((e) => e.username === 'auditor1')).toBe(false);
  });

  it('throttles sign-in after repeated failures, even with the right password', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await t.api('POST', '/api/v1/auth/token', { username: 'admin', password: `wrong-${i}` }, { token: null });
      expect(res.status).toBe(401);
    }
    const locked = await t.api('POST', '/api/v1/auth/token', { username: 'admin', password: ADMIN_PASSWORD }, { token: null });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await t.api('GET', '/api/v1/computers')).status).toBe(200);
    expect((await t.api('GET', '/api/v1/computers', undefined, { token: 'not-a-real-token-at-all' })).status).toBe(401);
  });
});
