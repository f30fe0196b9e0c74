import type { KeyObject } from 'node:crypto';
import type { Transaction } from 'sequelize';
import type { Clock } from '../../shared/clock.js';
import type { ChunkStore } from '../../shared/content/chunk-store.js';
import { keyIdOf, parseManifest, signManifest, type SignedManifest } from '../../shared/content/manifest.js';
import { openPackageStream, type PackageLimits } from '../../shared/content/package-file.js';
import type { Digest } from '../../shared/digest.js';
import { ConflictError, NotFoundError, PayloadTooLargeError } from '../../shared/errors.js';
import type { PackageDetail, PackageSummary } from '../../shared/schemas/package.js';
import type { Database } from '../db/database.js';
import type { PackageRow } from '../db/models/packages.js';
import { ChunkPins } from './chunk-pins.js';

/** Upload bounds: payload bytes, and entries (files, and chunks) per package. */
export interface PackageUploadLimits { maxPayloadBytes: number; maxEntries: number }

/** Header bytes allowed on top of the payload (manifest JSON). */
const MAX_MANIFEST_BYTES = 32 * 1024 * 1024;

/** What a package service needs besides the database. */
export interface PackageServiceDeps {
  db: Database;
  clock: Clock;
  /** The origin's single-instance chunk store (`<data-dir>/chunks`). */
  store: ChunkStore;
  /** Signs manifests (Ed25519). */
  packageKey: KeyObject;
  limits: PackageUploadLimits;
  /** Names of policies using a package (deletion is refused while any does). */
  usedBy(packageId: number): Promise<string[]>;
  /** Marks the fleet content changed inside each write (package names order payloads). */
  onChange(transaction: Transaction): Promise<void>;
}

/** The package as the API returns it. */
export function packageView(row: PackageRow): PackageSummary {
  return {
    id: row.id, name: row.name, version: row.version, revision: row.revision, digest: row.digest as Digest, size: row.size,
    chunkCount: row.chunkCount, bytesNew: row.bytesNew, uploadedBy: row.uploadedBy, createdAt: new Date(row.createdAt).toISOString(),
  };
}

/**
 * Streams package files into the origin store (every chunk and the payload verified on the way, limits enforced
 * before allocating), signs each with a fresh per-name revision, lists and deletes packages. A refused upload
 * leaves no chunk it added behind; a deleted package's chunks go unless another package (or upload) uses them.
 */
export class PackageService {
  private readonly pins = new ChunkPins();

  constructor(private readonly deps: PackageServiceDeps) {}

  /** Ingests one package file from `source`; `declaredBytes` (Content-Length) is checked before reading. */
  async upload(source: AsyncIterable<Uint8Array>, uploadedBy: string, declaredBytes?: number, signal?: AbortSignal): Promise<PackageSummary> {
    const { limits, store } = this.deps;
    if (declaredBytes !== undefined && declaredBytes > limits.maxPayloadBytes + MAX_MANIFEST_BYTES) throw new PayloadTooLargeError(limits.maxPayloadBytes);
    const readerLimits: Partial<PackageLimits> = { maxManifestBytes: MAX_MANIFEST_BYTES, maxPayloadBytes: limits.maxPayloadBytes, maxChunks: limits.maxEntries, maxFiles: limits.maxEntries };
    const reader = await openPackageStream(source, { limits: readerLimits, signal });
    const pinned: Digest[] = [];
    const added: Digest[] = [];
    let bytesNew = 0;
    try {
      for await (const chunk of reader.chunks()) {
        this.pins.pin(chunk.digest);
        pinned.push(chunk.digest);
        if (await store.put(chunk.digest, chunk.data)) {
          added.push(chunk.digest);
          bytesNew += chunk.data.length;
        }
      }
      return packageView(await this.commit(reader.header.manifest, bytesNew, uploadedBy));
    } catch (err) {
      for (const d of pinned.splice(0)) this.pins.unpin(d);
      await this.collect(added);
      throw err;
    } finally {
      for (const d of pinned) this.pins.unpin(d);
    }
  }

  async list(page: number, perPage: number): Promise<{ items: PackageSummary[]; total: number }> {
    const { rows, count } = await this.deps.db.models.Package.findAndCountAll({
      attributes: { exclude: ['manifest'] }, order: [['id', 'ASC']], offset: (page - 1) * perPage, limit: perPage,
    });
    return { items: rows.map(packageView), total: count };
  }

  /** How many packages are stored and their payload bytes added up (before chunks are shared). */
  async logicalTotals(): Promise<{ packages: number; logicalBytes: number }> {
    const { Package } = this.deps.db.models;
    const [packages, logicalBytes] = await Promise.all([Package.count(), Package.sum('size')]);
    return { packages, logicalBytes: Number(logicalBytes) || 0 };
  }

  async get(id: number): Promise<PackageDetail> {
    const row = await this.row(id);
    return { ...packageView(row), manifest: signedOf(row, this.deps.packageKey) };
  }

  /** The signed manifest agents and nodes fetch. */
  async signedManifest(id: number): Promise<SignedManifest> {
    return signedOf(await this.row(id), this.deps.packageKey);
  }

  /** Every package's name by id (payload ordering). */
  async names(): Promise<Map<number, string>> {
    const rows = await this.deps.db.models.Package.findAll({ attributes: ['id', 'name'] });
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** Deletes a package no policy uses, then the chunks only it held. */
  async remove(id: number): Promise<void> {
    const row = await this.deps.db.write(async (transaction) => {
      await this.deps.onChange(transaction);
      const users = await this.deps.usedBy(id);
      if (users.length) throw new ConflictError(`package ${id} is used by ${users.map((n) => `"${n}"`).join(', ')}`);
      const existing = await this.deps.db.models.Package.findByPk(id, { transaction });
      if (!existing) throw new NotFoundError(`package ${id}`);
      await existing.destroy({ transaction });
      return existing;
    });
    await this.collect(parseManifest(JSON.parse(row.manifest)).chunks.map((c) => c.digest));
  }

  private async commit(unsigned: SignedManifest['manifest'], bytesNew: number, uploadedBy: string): Promise<PackageRow> {
    const { db, clock, packageKey } = this.deps;
    return db.write(async (transaction) => {
      await this.deps.onChange(transaction);
      await db.lock(`package-revision:${unsigned.name}`, transaction);
      const last = await db.models.PackageRevision.findByPk(unsigned.name, { transaction });
      const revision = (last?.revision ?? 0) + 1;
      await db.models.PackageRevision.upsert({ name: unsigned.name, revision }, { transaction });
      const signed = signManifest({ ...unsigned, revision }, packageKey);
      return db.models.Package.create({
        name: unsigned.name, version: unsigned.version, revision, digest: unsigned.payload.digest, size: unsigned.payload.size,
        chunkCount: unsigned.chunks.length, bytesNew, manifest: JSON.stringify(signed.manifest), signature: signed.signature,
        uploadedBy, createdAt: new Date(clock.now()),
      }, { transaction });
    });
  }

  // Removes those of `candidates` that no stored package and no upload in flight uses.
  private async collect(candidates: Digest[]): Promise<void> {
    const loose = candidates.filter((d) => !this.pins.isPinned(d));
    if (!loose.length) return;
    const used = new Set<string>();
    for (const r of await this.deps.db.models.Package.findAll({ attributes: ['manifest'] })) {
      for (const c of (JSON.parse(r.manifest) as SignedManifest['manifest']).chunks) used.add(c.digest);
    }
    for (const d of new Set(loose)) if (!used.has(d) && !this.pins.isPinned(d)) await this.deps.store.delete(d);
  }

  private async row(id: number): Promise<PackageRow> {
    const row = await this.deps.db.models.Package.findByPk(id);
    if (!row) throw new NotFoundError(`package ${id}`);
    return row;
  }
}

function signedOf(row: PackageRow, packageKey: KeyObject): SignedManifest {
  return { manifest: JSON.parse(row.manifest), signature: row.signature, keyId: keyIdOfCached(packageKey) };
}

const keyIds = new WeakMap<KeyObject, Digest>();
function keyIdOfCached(key: KeyObject): Digest {
  let id = keyIds.get(key);
  if (!id) { id = keyIdOf(key); keyIds.set(key, id); }
  return id;
}
