import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PROJECT_ROOT } from './cli.js';

/** Debian's Chromium, which the browser tests drive (installed by `.ci/run`). */
export const CHROMIUM = '/usr/bin/chromium';

/** Why browser tests cannot run here, or undefined when they can. */
export function browserUnavailable(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing (apt-get install chromium); skipping browser tests`;
}

/** Builds the admin UI into dist/ui unless it is already there. */
export async function ensureUiBuilt(): Promise<void> {
  if (existsSync(join(PROJECT_ROOT, 'dist/ui/index.html'))) return;
  const { build } = await import('vite');
  await build({ configFile: join(PROJECT_ROOT, 'coordinator/ui/vite.config.ts'), logLevel: 'warn' });
}

/** Headless Chromium with background traffic switched off. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Saves a full-page screenshot as `artifacts/screenshots/NAME.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = join(PROJECT_ROOT, 'artifacts/screenshots');
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
