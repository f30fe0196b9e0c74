import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, launchBrowser, screenshot } from '../../helpers/browser.js';
import { runHoming } from '../../helpers/cli.js';

const skip = browserUnavailable();
if (skip) console.warn(skip);

describe.skipIf(skip)('simulation report in Chromium', () => {
  const out = mkdtempSync(join(tmpdir(), 'homing-sim-report-test-'));
  let browser: Browser;
  beforeAll(async () => { browser = await launchBrowser(); });
  afterAll(async () => {
    await browser?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('opens the report.html of a real run offline: summary table, scaling table and every chart drawn, no errors, no CSP violations, no fetches', async () => {
    const res = await runHoming(['sim', 'checkins', '--clients', '60,40', '--speedup', '1000', '--idle-seconds', '2', '--out', out], {}, 120_000);
    expect(res.code, res.stderr).toBe(0);

    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(join(out, 'report.html')).toString();
    await page.goto(url);

    await page.getByRole('heading', { name: /Check-in simulation: steady, 60 \/ 40 clients/ }).waitFor();
    const summary = page.getByRole('table', { name: 'Summary' });
    await expect(summary.getByRole('row', { name: /N=60: errors 0 0 PASS/ }).count()).resolves.toBe(1);
    const scaling = page.getByRole('table', { name: 'How the cost grows with N' });
    await expect(scaling.getByRole('columnheader').allTextContents()).resolves.toEqual(['clients', 'check-ins', 'errors', 'p99', 'coordinator CPU per check-in', 'CPU at the real 30-min rate', 'coordinator RSS', 'simulator RSS', 'other processes']);
    await expect(scaling.getByRole('row', { name: /^60 \d+ 0 / }).count()).resolves.toBe(1);
    await expect(scaling.getByRole('row', { name: /^40 \d+ 0 / }).count()).resolves.toBe(1);
    for (const id of ['rate-60', 'latency-60', 'cpu-60', 'memory-60', 'rate-40', 'scaling']) {
      const chart = page.locator(`[data-chart="${id}"]`);
      await chart.locator('canvas').waitFor();
      const box = await chart.locator('canvas').boundingBox();
      expect(box!.width).toBeGreaterThan(300);
      expect(box!.height).toBeGreaterThan(100);
    }
    await expect(page.locator('.uplot .u-legend').first().textContent()).resolves.toContain('check-ins');
    await screenshot(page, 'sim-checkins-report');
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    await context.close();
  });
});
