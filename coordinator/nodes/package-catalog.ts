import type { KeyObject } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { keyIdOf, type SignedManifest } from '../../shared/content/manifest.js';
import type { Database } from '../db/database.js';

/** Signed manifests of uploaded packages, by package id (the packages feature owns the table). */
export interface PackageCatalog {
  /** The signed manifests of those ids that exist. */
  manifests(ids: number[]): Promise<Map<number, SignedManifest>>;
}

/** Reads the `packages` table (manifest JSON and signature per row; the key id is the package key's). */
export class SqlPackageCatalog implements PackageCatalog {
  constructor(private readonly db: Database, private readonly packagePublicKey: KeyObject) {}

  async manifests(ids: number[]): Promise<Map<number, SignedManifest>> {
    const out = new Map<number, SignedManifest>();
    if (!ids.length) return out;
    const rows = await this.db.sequelize.query<{ id: number; manifest: string; signature: string }>(
      'SELECT id, manifest, signature FROM packages WHERE id IN (:ids)', { replacements: { ids }, type: QueryTypes.SELECT },
    );
    const keyId = keyIdOf(this.packagePublicKey);
    for (const r of rows) out.set(Number(r.id), { manifest: typeof r.manifest === 'string' ? JSON.parse(r.manifest) : r.manifest, signature: r.signature, keyId });
    return out;
  }
}

/** A catalog held in memory (tests, simulations, and installs that stage packages without the upload route). */
export class MemoryPackageCatalog implements PackageCatalog {
  private readonly byId = new Map<number, SignedManifest>();

  add(id: number, signed: SignedManifest): void {
    this.byId.set(id, signed);
  }

  async manifests(ids: number[]): Promise<Map<number, SignedManifest>> {
    return new Map(ids.flatMap((id) => (this.byId.has(id) ? [[id, this.byId.get(id)!] as const] : [])));
  }
}
