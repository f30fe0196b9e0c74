import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { ensureUiBuilt, launchBrowser } from './browser.js';
import { ADMIN_PASSWORD, startTestCoordinator, type TestCoordinator } from './coordinator.js';
import { enrollDevice, type TestDevice } from './device.js';
import { sampleInventory } from './inventory.js';

/** A hostname an attacker-controlled agent might report; it must render as text. */
export const HOSTILE_HOSTNAME = '<img src=x onerror=alert(1)>';

export const AUDITOR = { username: 'audrey', password: 'auditor-password-123' };

/** A coordinator with enrolled devices (inventory reported, checked in), an auditor, and a browser. */
export interface UiFixture {
  t: TestCoordinator;
  browser: Browser;
  devices: TestDevice[];
  /** Opens a 1280×800 page (or `viewport`) that fails the test on dialogs, CSP violations and page errors. */
  newPage(viewport?: { width: number; height: number }): Promise<{ page: Page; context: BrowserContext; problems: string[] }>;
  signIn(page: Page, username?: string, password?: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts everything the browser tests need. */
export async function startUiFixture(hostnames = ['ws-alpha', 'ws-beta', HOSTILE_HOSTNAME]): Promise<UiFixture> {
  await ensureUiBuilt();
  const t = await startTestCoordinator();
  const devices: TestDevice[] = [];
  for (const hostname of hostnames) {
    const d = await enrollDevice(t);
    const tls = { cert: d.cert, key: d.key };
    const inv = await t.api('PUT', `/device/v1/computers/${d.computerId}/inventory`, { full: true, inventory: sampleInventory(hostname) }, { token: null, tls });
    expect(inv.status).toBeLessThan(300);
    const checkin = await t.api('POST', `/device/v1/computers/${d.computerId}/checkins`, {}, { token: null, tls });
    expect(checkin.status).toBe(200);
    devices.push(d);
  }
  await t.coordinator.services.recorder.flush();
  const auditor = await t.api('POST', '/api/v1/users', { ...AUDITOR, role: 'auditor' });
  expect(auditor.status).toBe(201);
  const browser = await launchBrowser();
  return {
    t, browser, devices,
    async newPage(viewport = { width: 1280, height: 800 }) {
      const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport, baseURL: t.url });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('dialog', (d) => {
        if (d.type() === 'confirm') { void d.accept(); return; }
        problems.push(`dialog: ${d.type()} ${d.message()}`);
        void d.dismiss();
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) problems.push(`csp: ${m.text()}`); });
      return { page, context, problems };
    },
    async signIn(page, username = 'admin', password = ADMIN_PASSWORD) {
      await page.goto('/');
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
    },
    async stop() {
      await browser.close();
      await t.stop();
    },
  };
}
