import { createPublicKey, type KeyObject } from 'node:crypto';
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../shared/clock.js';
import { verifyManifest, type Manifest, type SignedManifest } from '../shared/content/manifest.js';
import type { Digest } from '../shared/digest.js';
import { atomicWriteFile } from '../shared/fs/atomic-write.js';
import type { DesiredPackage } from '../shared/schemas/nodes.js';

/** A package this node should hold, with its verified manifest. */
export interface HeldPackage {
  packageId: number; signed: SignedManifest; manifest: Manifest; holders: string[];
  /** When this process first saw the package desired (clock ms). */
  since: number;
}

/**
 * The packages this node should hold. Manifests are verified with the package key and kept in
 * `<data-dir>/manifests` so a restarted node resumes (and serves) without the coordinator.
 */
export class DesiredSet {
  private byId = new Map<number, HeldPackage>();
  private chunkIndex = new Map<Digest, { packageId: number; size: number }>();
  private readonly key: KeyObject;
  private readonly dir: string;

  constructor(dataDir: string, packagePublicKeyPem: string, private readonly clock: Clock) {
    this.dir = join(dataDir, 'manifests');
    this.key = createPublicKey(packagePublicKeyPem);
  }

  /** Loads the manifests saved by the previous run. */
  async load(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    for (const name of await readdir(this.dir)) {
      const id = Number(/^(\d+)\.json$/.exec(name)?.[1]);
      if (!id) continue;
      const saved = JSON.parse(await readFile(join(this.dir, name), 'utf8')) as { signed: SignedManifest; holders: string[] };
      this.byId.set(id, { packageId: id, signed: saved.signed, manifest: verifyManifest(saved.signed, this.key), holders: saved.holders, since: this.clock.now() });
    }
    this.reindex();
  }

  /** Replaces the set with the coordinator's answer; returns the ids no longer desired. */
  async update(list: DesiredPackage[]): Promise<number[]> {
    const next = new Map<number, HeldPackage>();
    for (const d of list) {
      const before = this.byId.get(d.packageId);
      const same = before?.signed.signature === d.manifest.signature && before.signed.keyId === d.manifest.keyId;
      const manifest = same ? before.manifest : verifyManifest(d.manifest, this.key);
      next.set(d.packageId, { packageId: d.packageId, signed: same ? before.signed : d.manifest, manifest, holders: d.holders, since: before?.since ?? this.clock.now() });
      if (same && before.holders.join() === d.holders.join()) continue;
      await atomicWriteFile(join(this.dir, `${d.packageId}.json`), JSON.stringify({ signed: next.get(d.packageId)!.signed, holders: d.holders }));
    }
    const dropped = [...this.byId.keys()].filter((id) => !next.has(id));
    for (const id of dropped) await unlink(join(this.dir, `${id}.json`)).catch(() => {});
    this.byId = next;
    this.reindex();
    return dropped;
  }

  packages(): HeldPackage[] {
    return [...this.byId.values()];
  }

  get(packageId: number): HeldPackage | undefined {
    return this.byId.get(packageId);
  }

  /** Every chunk of every desired package, mapped to the first package that uses it (for byte accounting). */
  chunks(): ReadonlyMap<Digest, { packageId: number; size: number }> {
    return this.chunkIndex;
  }

  private reindex(): void {
    const out = new Map<Digest, { packageId: number; size: number }>();
    for (const p of this.byId.values()) for (const c of p.manifest.chunks) if (!out.has(c.digest)) out.set(c.digest, { packageId: p.packageId, size: c.size });
    this.chunkIndex = out;
  }
}
