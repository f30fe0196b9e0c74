import { chmod, lstat, mkdir, mkdtemp, realpath, rename, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Manifest } from '../../shared/content/manifest.js';
import { isSafeRelativePath } from '../../shared/content/safe-path.js';
import { PackageInstallError } from './errors.js';
import { extractPayload, type ExtractLimits } from './extract-payload.js';
import type { PackageScriptRunner } from './package-scripts.js';
import { ensureRealDirs } from './real-dirs.js';
import type { Receipt, ReceiptStore } from './receipts.js';

/** What installs and removals work with. */
export interface InstallDeps {
  /** Where packages install (`state.root`); staging lives in `<root>/.homing-staging`. */
  root: string;
  receipts: ReceiptStore;
  runScript: PackageScriptRunner;
  extractLimits?: ExtractLimits;
  now(): number;
}

/** Staging directory under the root, so moving into place is a rename on the same filesystem. */
export const STAGING_DIR = '.homing-staging';

/**
 * Installs a verified payload: extract into a fresh staging dir (every path checked) → preinstall → receipt marked
 * `installing` (listing old and new files) → move each entry into `<root><targetPrefix>` by rename → drop files the
 * previous version had and this one lacks → postinstall → receipt `installed`. Staging is always removed; a failure
 * before the move leaves the installed version untouched. Returns the scripts' output.
 */
export async function installPackage(packageId: number, manifest: Manifest, payload: AsyncIterable<Uint8Array>, deps: InstallDeps, signal?: AbortSignal): Promise<string> {
  const installDir = join(deps.root, manifest.targetPrefix);
  const args = [manifest.name, installDir, deps.root];
  // Runs are serialized (the policy lock), so anything left in staging is from an interrupted install.
  await rm(join(deps.root, STAGING_DIR), { recursive: true, force: true });
  await mkdir(join(deps.root, STAGING_DIR), { recursive: true, mode: 0o700 });
  const staging = await mkdtemp(join(deps.root, STAGING_DIR, 'pkg-'));
  try {
    await extractPayload(payload, manifest, staging, deps.extractLimits, signal);
    const output = manifest.preinstall ? await deps.runScript('preinstall', manifest.preinstall, args, signal) : '';
    const previous = await deps.receipts.get(manifest.name);
    const files = manifest.files.map((f) => ({ path: f.path, type: f.type, ...(f.type === 'file' ? { digest: f.digest } : {}) }));
    const stale = previous && previous.installDir === installDir ? previous.files.filter((o) => !files.some((f) => f.path === o.path)) : [];
    const receipt: Receipt = {
      packageId, name: manifest.name, version: manifest.version, revision: manifest.revision, digest: manifest.payload.digest,
      installDir, files, state: 'installing', installedAt: deps.now(),
    };
    // Written first, so a crash mid-move leaves a receipt naming every file that may be on disk.
    await deps.receipts.save({ ...receipt, files: [...files, ...stale] });
    await moveIntoPlace(staging, installDir, manifest, deps.root);
    await removeFiles(installDir, stale);
    const post = manifest.postinstall ? await deps.runScript('postinstall', manifest.postinstall, args, signal) : '';
    await deps.receipts.save({ ...receipt, state: 'installed' });
    return output + post;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Removes exactly the files, links and (when empty) directories a receipt lists, then the receipt. */
export async function uninstallPackage(receipt: Receipt, receipts: ReceiptStore): Promise<void> {
  await removeFiles(receipt.installDir, receipt.files);
  await receipts.remove(receipt.name);
}

async function moveIntoPlace(staging: string, installDir: string, manifest: Manifest, root: string): Promise<void> {
  const refuse = (m: string) => new PackageInstallError('TARGET_UNSAFE', `cannot install ${manifest.name}: ${m}`);
  const rootReal = await realpath(root);
  await ensureRealDirs(root, manifest.targetPrefix.split('/').filter(Boolean), refuse, rootReal);
  for (const f of manifest.files) {
    const parts = f.path.split('/');
    await ensureRealDirs(installDir, parts.slice(0, -1), refuse, rootReal);
    const target = join(installDir, f.path);
    const existing = await lstat(target).catch(() => undefined);
    if (f.type === 'directory') {
      if (!existing) await mkdir(target, { mode: f.mode });
      else if (!existing.isDirectory()) throw refuse(`${target} exists and is not a directory`);
      await chmod(target, f.mode);
      continue;
    }
    if (existing?.isDirectory()) throw refuse(`${target} is a directory`);
    await rename(join(staging, f.path), target);
  }
}

// Deepest first, so directories are empty by the time they are reached; a non-empty directory stays.
async function removeFiles(installDir: string, files: Receipt['files']): Promise<void> {
  for (const f of [...files].reverse()) {
    if (!isSafeRelativePath(f.path)) continue;
    const path = join(installDir, f.path);
    const st = await lstat(path).catch(() => undefined);
    if (!st) continue;
    if (f.type === 'directory') {
      if (st.isDirectory()) await rmdir(path).catch((err: NodeJS.ErrnoException) => { if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err; });
    } else if (!st.isDirectory()) {
      await rm(path, { force: true });
    }
  }
}
