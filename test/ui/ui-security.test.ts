import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, screenshot } from '../helpers/browser.js';
import { ADMIN_PASSWORD } from '../helpers/coordinator.js';
import { AUDITOR, startUiFixture, type UiFixture } from '../helpers/ui-fixture.js';

const skip = browserUnavailable();
if (skip) console.warn(skip);

describe.skipIf(skip)('admin web UI security', () => {
  let f: UiFixture;
  let agent: Agent;
  beforeAll(async () => {
    f = await startUiFixture(['ws-one']);
    agent = new Agent({ connect: { ca: f.t.caPem } });
  });
  afterAll(async () => { await agent?.close(); await f?.stop(); });

  const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
    const res = await request(new URL(path, f.t.url), {
      method: method as 'GET', dispatcher: agent, body: body === undefined ? undefined : JSON.stringify(body),
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };

  it('serves the UI with a strict CSP and no framing; sessions are HttpOnly, Secure, SameSite=Strict cookies', async () => {
    const root = await request(new URL('/computers/1', f.t.url), { dispatcher: agent });
    expect(root.statusCode).toBe(200);
    expect(root.headers['content-type']).toMatch(/text\/html/);
    const csp = String(root.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(root.headers['x-frame-options']).toBe('DENY');
    expect(await root.body.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);

    const signIn = await call('POST', '/api/v1/auth/session', {}, { username: 'admin', password: ADMIN_PASSWORD });
    expect(signIn.status).toBe(201);
    const setCookie = String(signIn.headers['set-cookie']);
    expect(setCookie).toMatch(/^__Host-homing-session=[A-Za-z0-9_-]+;/);
    expect(setCookie).toMatch(/httponly/i);
    expect(setCookie).toMatch(/secure/i);
    expect(setCookie).toMatch(/samesite=strict/i);
    const cookie = setCookie.split(';')[0]!;

    const script = { name: 'csrf probe', content: '#!/bin/sh\ntrue\n' };
    const forged = await call('POST', '/api/v1/scripts', { cookie }, script);
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('FORBIDDEN');
    const wrong = await call('POST', '/api/v1/scripts', { cookie, 'x-csrf-token': 'A'.repeat(43) }, script);
    expect(wrong.status).toBe(403);
    const ok = await call('POST', '/api/v1/scripts', { cookie, 'x-csrf-token': signIn.body.csrfToken }, script);
    expect(ok.status).toBe(201);
    expect((await call('GET', '/api/v1/auth/session', { cookie })).body).toMatchObject({ username: 'admin', role: 'admin', csrfToken: signIn.body.csrfToken });

    expect((await call('DELETE', '/api/v1/auth/session', { cookie })).status).toBe(403);
    expect((await call('DELETE', '/api/v1/auth/session', { cookie, 'x-csrf-token': signIn.body.csrfToken })).status).toBe(204);
    expect((await call('GET', '/api/v1/computers', { cookie })).status).toBe(401);
  });

  it('refuses a write from the page without the CSRF header', async () => {
    const { page, context, problems } = await f.newPage();
    await f.signIn(page);
    const status = await page.evaluate(async () => (await fetch('/api/v1/scripts', {
      method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'forged', content: '#!/bin/sh\n' }),
    })).status);
    expect(status).toBe(403);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows an auditor no edit controls, and the API refuses the auditor\'s writes', async () => {
    const policy = await f.t.api('POST', '/api/v1/policies', { name: 'Audited policy', scope: { all: true } });
    expect(policy.status).toBe(201);
    const { page, context, problems } = await f.newPage();
    await f.signIn(page, AUDITOR.username, AUDITOR.password);
    for (const [link, table] of [['Policies', 'Policies'], ['Scripts', 'Scripts'], ['Groups', 'Groups'], ['Extension attributes', 'Extension attributes'], ['Users', 'Users'],
      ['Packages', 'Packages'], ['Segments', 'Segments'], ['Nodes', 'Nodes']]) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link }).click();
      await page.getByRole('table', { name: table }).waitFor();
      expect(await page.getByRole('main').getByRole('link', { name: /^New / }).count()).toBe(0);
      expect(await page.getByRole('main').locator('form button[type=submit]').count()).toBe(0);
    }
    await page.getByRole('link', { name: 'Policies' }).click();
    await page.getByRole('link', { name: 'Audited policy' }).click();
    await page.getByRole('heading', { name: 'Policy: Audited policy' }).waitFor();
    expect(await page.getByRole('button', { name: /Save|Delete|Flush|Add/ }).count()).toBe(0);
    expect(await page.getByLabel('Name').isDisabled()).toBe(true);
    await screenshot(page, '18-auditor-policy');
    await page.getByRole('link', { name: 'Computers', exact: true }).click();
    await page.getByRole('link', { name: 'ws-one' }).click();
    await page.getByRole('heading', { name: 'ws-one' }).waitFor();
    expect(await page.getByRole('button', { name: /Unmanage|Flush/ }).count()).toBe(0);
    await page.getByRole('link', { name: 'Enrollment' }).click();
    expect(await page.getByRole('button', { name: 'Create token' }).count()).toBe(0);

    const status = await page.evaluate(async () => {
      const s = await (await fetch('/api/v1/auth/session')).json() as { csrfToken: string };
      return (await fetch('/api/v1/enrollment-tokens', {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': s.csrfToken }, body: '{"uses":1}',
      })).status;
    });
    expect(status).toBe(403);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('pages through 10,000 computers (browser time printed, not asserted)', async () => {
    const { Computer } = f.t.coordinator.db.models;
    const now = new Date();
    const rows = Array.from({ length: 10_000 }, (_, i) => ({
      uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, name: `sim-${String(i).padStart(5, '0')}`, serial: `SIM${i}`,
      model: 'Sim', osName: 'linux', osVersion: '12', ipAddress: `10.1.${i >> 8}.${i & 255}`, username: 'sim', certSerial: `ff${i}`,
      certNotAfter: now, status: 'managed' as const, checkinIntervalSeconds: 1800, enrolledAt: now,
    }));
    await f.t.coordinator.db.write((transaction) => Computer.bulkCreate(rows, { transaction }));
    const { page, context } = await f.newPage();
    await f.signIn(page);
    const dashboardMs = await page.evaluate(() => performance.now());
    await page.getByTestId('managed-count').filter({ hasText: '10,001' }).waitFor();
    const t0 = await page.evaluate(() => performance.now());
    await page.getByRole('link', { name: 'Computers', exact: true }).click();
    const table = page.getByRole('table', { name: 'Computers' });
    await table.getByRole('link', { name: 'sim-00000' }).waitFor();
    const t1 = await page.evaluate(() => performance.now());
    await page.getByRole('button', { name: 'Next' }).click();
    await table.getByRole('link', { name: 'sim-00050' }).waitFor();
    const t2 = await page.evaluate(() => performance.now());
    await table.getByRole('button', { name: 'Last check-in' }).click();
    await table.locator('tbody tr').first().waitFor();
    const t3 = await page.evaluate(() => performance.now());
    await screenshot(page, '19-computers-10k');
    console.log(`[ui] 10,000 computers: dashboard ready at ${Math.round(dashboardMs)} ms after sign-in page load; list ${Math.round(t1 - t0)} ms, next page ${Math.round(t2 - t1)} ms, re-sort ${Math.round(t3 - t2)} ms`);
    await context.close();
  });
});
