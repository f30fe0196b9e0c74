import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../shared/logger.js';
import type { Inventory } from '../../shared/schemas/inventory.js';
import type { CommandRunner } from './command-runner.js';
import { CommandError } from './errors.js';
import { capArray, clampString } from './limits.js';

/** One installed software item. */
export type SoftwareItem = Inventory['software'][number];

/** The schema's cap on software items. */
export const MAX_SOFTWARE = 50_000;

const COMMAND_TIMEOUT_MS = 15_000;
const COMMAND_MAX_BUFFER = 64 * 1024 * 1024;

/** Where and how to look for installed software. */
export interface SoftwareOptions {
  platform: NodeJS.Platform;
  runner: CommandRunner;
  logger: Logger;
  signal?: AbortSignal;
  /** macOS application folder; a parameter so tests can point it at a fixture. */
  applicationsDir?: string;
}

/** Parses `dpkg-query -W -f '${Package}\t${Version}\t${db:Status-Abbrev}\n'`, keeping installed packages only. */
export function parseDpkgQuery(text: string): SoftwareItem[] {
  const items: SoftwareItem[] = [];
  for (const line of text.split('\n')) {
    const [name, version, status] = line.split('\t');
    // Second status letter 'i' = installed; 'rc' (removed, config left) and friends are not software.
    if (!name || !status || status[1] !== 'i') continue;
    items.push({ name: clampString(name), version: clampString(version), source: 'dpkg' });
  }
  return items;
}

/** Parses `rpm -qa --qf '%{NAME}\t%{VERSION}-%{RELEASE}\n'`. */
export function parseRpmQuery(text: string): SoftwareItem[] {
  const items: SoftwareItem[] = [];
  for (const line of text.split('\n')) {
    const [name, version] = line.split('\t');
    if (!name) continue;
    items.push({ name: clampString(name), version: clampString(version), source: 'rpm' });
  }
  return items;
}

/** Reads a string value for `key` from an XML property list; binary plists yield undefined. */
export function plistString(xml: string, key: string): string | undefined {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`<key>${escaped}</key>\\s*<string>([^<]*)</string>`).exec(xml);
  return m?.[1]?.trim();
}

/** Lists `*.app` bundles in `dir` with their names and versions from `Contents/Info.plist`. */
export async function listApplications(dir: string): Promise<SoftwareItem[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return [];
  }
  const items: SoftwareItem[] = [];
  for (const entry of entries) {
    if (!entry.endsWith('.app')) continue;
    let plist = '';
    try {
      plist = await readFile(join(dir, entry, 'Contents', 'Info.plist'), 'utf8');
    } catch {
      // A bundle without a readable Info.plist is still an installed app.
    }
    const name = plistString(plist, 'CFBundleName') || entry.slice(0, -'.app'.length);
    const version = plistString(plist, 'CFBundleShortVersionString') ?? plistString(plist, 'CFBundleVersion') ?? '';
    items.push({ name: clampString(name), version: clampString(version), source: 'applications' });
  }
  return items;
}

async function query(
  opts: SoftwareOptions, file: string, args: string[], parse: (text: string) => SoftwareItem[],
): Promise<SoftwareItem[]> {
  try {
    const out = await opts.runner(file, args, { timeoutMs: COMMAND_TIMEOUT_MS, maxBuffer: COMMAND_MAX_BUFFER, signal: opts.signal });
    return parse(out);
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    if (err instanceof CommandError && err.code === 'COMMAND_NOT_FOUND') {
      opts.logger.debug({ file }, 'package tool not available');
    } else {
      opts.logger.warn({ err, file }, 'listing installed software failed');
    }
    return [];
  }
}

/** Collects installed software from every source this platform has; missing tools contribute nothing. */
export async function collectSoftware(opts: SoftwareOptions): Promise<SoftwareItem[]> {
  let lists: SoftwareItem[][];
  if (opts.platform === 'darwin') {
    lists = [await listApplications(opts.applicationsDir ?? '/Applications')];
  } else if (opts.platform === 'win32') {
    lists = [];
  } else {
    lists = await Promise.all([
      query(opts, 'dpkg-query', ['-W', '-f', '${Package}\\t${Version}\\t${db:Status-Abbrev}\\n'], parseDpkgQuery),
      query(opts, 'rpm', ['-qa', '--qf', '%{NAME}\\t%{VERSION}-%{RELEASE}\\n'], parseRpmQuery),
    ]);
  }
  // Sorted so an unchanged system always yields the same section digest.
  const all = lists.flat().sort((a, b) =>
    cmp(a.name, b.name) || cmp(a.version, b.version) || cmp(a.source, b.source));
  return capArray(all, MAX_SOFTWARE);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
