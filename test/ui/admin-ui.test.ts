import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, screenshot } from '../helpers/browser.js';
import { HOSTILE_HOSTNAME, startUiFixture, type UiFixture } from '../helpers/ui-fixture.js';

const skip = browserUnavailable();
if (skip) console.warn(skip);

describe.skipIf(skip)('admin web UI in Chromium', () => {
  let f: UiFixture;
  beforeAll(async () => { f = await startUiFixture(); });
  afterAll(async () => { await f?.stop(); });

  it('signs in, shows the dashboard and the enrolled computers, opens one with its inventory', async () => {
    const { page, context, problems } = await f.newPage();
    await page.goto('/');
    await screenshot(page, '01-sign-in');
    await f.signIn(page);
    await expect.poll(() => page.getByTestId('managed-count').textContent()).toBe('3');
    await page.locator('.chart canvas').waitFor();
    await screenshot(page, '02-dashboard');

    await page.getByRole('link', { name: 'Computers', exact: true }).click();
    const table = page.getByRole('table', { name: 'Computers' });
    await table.getByRole('link', { name: 'ws-alpha' }).waitFor();
    // The hostile hostname is text in a link, never markup.
    await expect(table.getByRole('link', { name: HOSTILE_HOSTNAME }).textContent()).resolves.toBe(HOSTILE_HOSTNAME);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await screenshot(page, '03-computers');

    await page.getByLabel('Search computers').fill('beta');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
    await page.getByLabel('Search computers').fill('');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(3);
    await table.getByRole('button', { name: 'Name' }).click();
    await expect.poll(() => table.locator('th[aria-sort]').getAttribute('aria-sort')).toBe('descending');

    await table.getByRole('link', { name: 'ws-alpha' }).click();
    await page.getByRole('heading', { name: 'ws-alpha' }).waitFor();
    await page.getByText('SN-ws-alpha').first().waitFor();
    await page.getByRole('table', { name: 'Software' }).getByText('firefox-esr').waitFor();
    await screenshot(page, '04-computer-inventory');
    await page.getByRole('tab', { name: 'Scope' }).click();
    await page.getByRole('table', { name: 'Policy scope' }).waitFor();
    await screenshot(page, '05-computer-scope');

    await page.setViewportSize({ width: 390, height: 800 });
    await page.getByRole('link', { name: 'Computers', exact: true }).click();
    await page.getByRole('table', { name: 'Computers' }).getByRole('link', { name: 'ws-beta' }).waitFor();
    await screenshot(page, '06-computers-narrow');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('creates a script, a smart group and a policy scoped to it, and shows the run the agent reports', async () => {
    const { page, context, problems } = await f.newPage();
    await f.signIn(page);

    await page.getByRole('link', { name: 'Scripts' }).click();
    await page.getByRole('link', { name: 'New script' }).click();
    await page.getByLabel('Name').fill('Say hello');
    await page.getByLabel('Script', { exact: true }).fill('#!/bin/sh\necho "hello $4"\n');
    await page.getByLabel('Label for $4').fill('Greeting');
    await screenshot(page, '07-script-editor');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('table', { name: 'Scripts' }).getByRole('link', { name: 'Say hello' }).waitFor();
    await screenshot(page, '08-scripts');

    await page.getByRole('link', { name: 'Groups' }).click();
    await page.getByRole('link', { name: 'New group' }).click();
    await page.getByLabel('Name').fill('Workstations');
    await page.getByRole('button', { name: 'Add criterion' }).click();
    await page.getByLabel('Criterion 1 field').selectOption('network.hostname');
    await page.getByLabel('Criterion 1 operator').selectOption('like');
    await page.getByLabel('Criterion 1 value').fill('ws-');
    await screenshot(page, '09-group-criteria');
    await page.getByRole('button', { name: 'Save' }).click();
    const groups = page.getByRole('table', { name: 'Groups' });
    await groups.getByRole('link', { name: 'Workstations' }).waitFor();
    await expect.poll(() => groups.locator('tbody tr').first().locator('td').nth(2).textContent()).toBe('2');
    await screenshot(page, '10-groups');

    await page.getByRole('link', { name: 'Policies' }).click();
    await page.getByRole('link', { name: 'New policy' }).click();
    await page.getByLabel('Name').fill('Greet workstations');
    await page.getByRole('group', { name: 'Targets' }).getByLabel('Workstations').check();
    await page.getByRole('button', { name: 'Add script' }).click();
    await page.getByLabel('$4 Greeting').fill('world');
    await screenshot(page, '11-policy-editor');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('table', { name: 'Policies' }).getByRole('link', { name: 'Greet workstations' }).waitFor();
    await screenshot(page, '12-policies');

    const policy = (await f.t.api('GET', '/api/v1/policies')).body.items[0];
    const group = (await f.t.api('GET', '/api/v1/groups')).body.items[0];
    expect(policy.scope.groups).toEqual([group.id]);
    expect(policy.payloads).toEqual([{ type: 'script', scriptId: expect.any(Number), priority: 'after', parameters: ['world'] }]);

    // The agent on ws-alpha sees the policy in its bundle and reports the run.
    const d = f.devices[0]!;
    const tls = { cert: d.cert, key: d.key };
    const checkin = await f.t.api('POST', `/device/v1/computers/${d.computerId}/checkins`, {}, { token: null, tls });
    expect(JSON.stringify(checkin.body)).toContain('Greet workstations');
    const now = Date.now();
    const report = await f.t.api('POST', `/device/v1/computers/${d.computerId}/policy-results`, { results: [{
      idempotencyKey: 'ui-test-run-000001', policyId: policy.id, trigger: 'checkin', username: null, status: 'success', startedAt: now - 500, finishedAt: now,
      items: [{ index: 0, type: 'script', status: 'success', message: 'exit 0', exitCode: 0, output: 'hello world' }],
    }] }, { token: null, tls });
    expect(report.body.accepted).toBe(1);
    await page.getByRole('link', { name: 'Greet workstations' }).click();
    const logs = page.getByRole('table', { name: 'Policy logs' });
    await logs.getByText('success', { exact: true }).waitFor();
    await screenshot(page, '13-policy-logs');

    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('table', { name: 'Policy runs' }).getByRole('link', { name: 'Greet workstations' }).waitFor();

    await page.getByRole('link', { name: 'Enrollment' }).click();
    await page.getByRole('button', { name: 'Create token' }).click();
    await expect.poll(async () => (await page.getByTestId('enrollment-token').textContent())?.length ?? 0).toBeGreaterThan(20);
    await screenshot(page, '14-enrollment');

    await page.getByRole('link', { name: 'Extension attributes' }).click();
    await page.getByRole('link', { name: 'New attribute' }).click();
    await page.getByLabel('Name').fill('Battery health');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('table', { name: 'Extension attributes' }).getByRole('link', { name: 'Battery health' }).waitFor();
    await screenshot(page, '15-extension-attributes');

    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('table', { name: 'Users' }).getByText('audrey').waitFor();
    await screenshot(page, '16-users');
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('table', { name: 'Audit log' }).getByText('POST /api/v1/policies').waitFor();
    await screenshot(page, '17-audit-log');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});
