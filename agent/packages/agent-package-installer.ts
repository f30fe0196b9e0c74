import { createPublicKey, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import type { Hasher } from '../../shared/content/hash-workers.js';
import { verifyManifest, type Manifest } from '../../shared/content/manifest.js';
import type { Logger } from '../../shared/logger.js';
import type { ItemOutcome, PackageInstaller, PackageItem } from '../policy/package-installer.js';
import type { ChunkSource } from './chunk-source.js';
import { PackageInstallError } from './errors.js';
import { checkExtractable, type ExtractLimits } from './extract-payload.js';
import { installPackage, uninstallPackage } from './install-package.js';
import { PackageCache, type DownloadStats } from './package-cache.js';
import type { PackageScriptRunner } from './package-scripts.js';
import { ReceiptStore } from './receipts.js';

/** What the agent's installer needs; the runtime supplies these (see `createAgentPackageInstaller`). */
export interface AgentPackageInstallerDeps {
  /** `<state-dir>/packages`: cache and receipts. */
  dir: string;
  /** Where packages install (`state.root`). */
  root: string;
  /** The package key's public PEM pinned at enrollment. */
  packagePublicKey: string;
  /** Signed manifests by package id (the coordinator's device route). */
  manifests(packageId: number, signal?: AbortSignal): Promise<unknown>;
  chunks: ChunkSource;
  cacheMaxBytes: number;
  /** Chunks downloaded at once (default 1). */
  chunksInFlight?: number;
  /** Hashes payloads as they are checked (default: on this thread). */
  hasher?: Hasher;
  runScript: PackageScriptRunner;
  extractLimits?: ExtractLimits;
  now(): number;
  logger: Logger;
  /** Called after each download (tests and metrics). */
  onDownload?: (packageId: number, stats: DownloadStats) => void;
}

/**
 * The real package installer. fetch: install/cache verify the signed manifest (package key, no rollback below the
 * installed revision, no second manifest for an installed revision) and download missing chunks into the cache;
 * install-cached needs the cached manifest and chunks. apply: install (a no-op when that revision is installed),
 * cache (done by fetch), install-cached, or uninstall exactly the receipt's files.
 */
export class AgentPackageInstaller implements PackageInstaller {
  private readonly key: KeyObject;
  private readonly cache: PackageCache;
  private readonly receipts: ReceiptStore;
  private readonly ready: Map<number, Manifest> = new Map();
  private started?: Promise<void>;

  constructor(private readonly deps: AgentPackageInstallerDeps) {
    this.key = createPublicKey(deps.packagePublicKey);
    this.cache = new PackageCache(join(deps.dir, 'cache'), deps.cacheMaxBytes, deps.now, deps.chunksInFlight, deps.hasher);
    this.receipts = new ReceiptStore(join(deps.dir, 'receipts'));
  }

  async fetch(item: PackageItem, signal?: AbortSignal): Promise<void> {
    await this.start();
    if (item.action === 'uninstall') return;
    if (item.action === 'install-cached') {
      const manifest = await this.verified(await this.cache.loadManifest(item.packageId), item.packageId);
      if (!(await this.cache.holds(manifest))) throw new PackageInstallError('NOT_CACHED', `package ${item.packageId} (${manifest.name}) is not fully cached; run a policy that caches it first`);
      this.ready.set(item.packageId, manifest);
      return;
    }
    const signed = await this.deps.manifests(item.packageId, signal);
    const manifest = await this.verified(signed, item.packageId);
    // Refused before a byte is fetched: a package that cannot be unpacked here is not worth downloading.
    await checkExtractable(manifest, this.deps.root, this.deps.extractLimits);
    const stats = await this.cache.download(manifest, this.deps.chunks, signal);
    this.deps.logger.info({ packageId: item.packageId, name: manifest.name, revision: manifest.revision, ...stats }, 'package fetched');
    this.deps.onDownload?.(item.packageId, stats);
    if (item.action === 'cache') await this.cache.saveManifest(item.packageId, signed as never);
    this.ready.set(item.packageId, manifest);
  }

  async apply(item: PackageItem, signal?: AbortSignal): Promise<ItemOutcome> {
    await this.start();
    if (item.action === 'uninstall') return this.uninstall(item.packageId, signal);
    const manifest = this.ready.get(item.packageId);
    if (!manifest) throw new PackageInstallError('NOT_CACHED', `package ${item.packageId} was not fetched`);
    this.ready.delete(item.packageId);
    const label = `${manifest.name} ${manifest.version} (revision ${manifest.revision})`;
    if (item.action === 'cache') return ok(`cached ${label}`);
    const current = await this.receipts.get(manifest.name);
    if (current?.state === 'installed' && current.revision === manifest.revision) return ok(`${label} is already installed`);
    const output = await installPackage(item.packageId, manifest, this.cache.payload(manifest, signal), {
      root: this.deps.root, receipts: this.receipts, runScript: this.deps.runScript, extractLimits: this.deps.extractLimits, now: this.deps.now,
    }, signal);
    if (item.action === 'install-cached') await this.cache.dropManifest(item.packageId);
    return { ...ok(`installed ${label}`), output };
  }

  /**
   * Installs the package's current signed revision again even when its receipt says installed,
   * restoring deleted or changed files (receipt repair). Chunks still in the cache are not fetched again.
   */
  async reinstall(packageId: number, signal?: AbortSignal): Promise<void> {
    await this.start();
    const manifest = await this.verified(await this.deps.manifests(packageId, signal), packageId);
    await checkExtractable(manifest, this.deps.root, this.deps.extractLimits);
    await this.cache.download(manifest, this.deps.chunks, signal);
    await installPackage(packageId, manifest, this.cache.payload(manifest, signal), {
      root: this.deps.root, receipts: this.receipts, runScript: this.deps.runScript, extractLimits: this.deps.extractLimits, now: this.deps.now,
    }, signal);
    this.deps.logger.info({ packageId, name: manifest.name, revision: manifest.revision }, 'package reinstalled to repair its files');
  }

  /** Every receipt (for `homing agent packages`). */
  list() {
    return this.receipts.list();
  }

  private async uninstall(packageId: number, signal?: AbortSignal): Promise<ItemOutcome> {
    const byId = (await this.receipts.list()).find((r) => r.packageId === packageId);
    const receipt = byId ?? await this.receipts.get((await this.verified(await this.deps.manifests(packageId, signal), packageId)).name);
    if (!receipt) return ok(`package ${packageId} is not installed`);
    await uninstallPackage(receipt, this.receipts);
    return ok(`removed ${receipt.name} ${receipt.version} (${receipt.files.length} entries)`);
  }

  // Signature by the pinned package key, then no rollback and no two manifests for one installed revision.
  private async verified(signed: unknown, packageId: number): Promise<Manifest> {
    if (signed === undefined) throw new PackageInstallError('NOT_CACHED', `package ${packageId} is not cached`);
    const manifest = verifyManifest(signed, this.key);
    const current = await this.receipts.get(manifest.name);
    if (current && manifest.revision < current.revision) {
      throw new PackageInstallError('PACKAGE_ROLLBACK', `${manifest.name} revision ${manifest.revision} is older than the installed revision ${current.revision}`);
    }
    if (current && manifest.revision === current.revision && manifest.payload.digest !== current.digest) {
      throw new PackageInstallError('MANIFEST_MIXED', `${manifest.name} revision ${manifest.revision} differs from the installed manifest of that revision`);
    }
    return manifest;
  }

  private start(): Promise<void> {
    this.started ??= this.cache.start();
    return this.started;
  }
}

function ok(message: string): ItemOutcome {
  return { status: 'success', message, exitCode: null, output: '' };
}
