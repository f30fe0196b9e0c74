import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../shared/fs/atomic-write.js';
import { ChunkBuffers } from '../../shared/content/chunk-buffers.js';
import { FsChunkStore } from '../../shared/content/fs-chunk-store.js';
import { inThreadHasher, type Hasher } from '../../shared/content/hash-workers.js';
import { digestEquals, type Digest } from '../../shared/digest.js';
import type { Manifest, SignedManifest } from '../../shared/content/manifest.js';
import type { ChunkSource } from './chunk-source.js';
import { PackageInstallError } from './errors.js';

/** What one download did: chunks and bytes fetched from the source (the rest were already cached). */
export interface DownloadStats { fetchedChunks: number; fetchedBytes: number }

type Index = Record<Digest, number>;

/** Chunks the payload hash may fall behind the payload's reader. */
const HASH_LAG_CHUNKS = 4;

/** Chunks stored before the payload check reached them whose bytes are kept for it (the rest are read back from disk). */
const KEPT_CHUNKS = 4;

/**
 * A chunk this download still has to fetch, and a promise settled once it is stored (or the download failed) — with
 * its bytes when the payload check was already waiting for it or they were kept for it, so they need not be read
 * back from disk.
 */
interface Pending { chunk: Manifest['chunks'][number]; stored: Promise<Handed | undefined>; waited: boolean; kept: boolean; done(handed: Handed | undefined): void; fail(err: unknown): void }

/**
 * Bytes handed to the payload check, and the pool they go back to; the check empties the holder once hashed, so a
 * settled promise does not keep them.
 */
interface Handed { bytes?: Uint8Array; buffers: ChunkBuffers }

/** Waits for a chunk still being downloaded (undefined when it is not); resolves with its bytes when handed over. */
type StoredWait = (digest: Digest) => Promise<Handed | undefined> | undefined;

function pending(chunk: Manifest['chunks'][number]): Pending {
  let done!: (handed: Handed | undefined) => void;
  let fail!: (err: unknown) => void;
  const stored = new Promise<Handed | undefined>((ok, ko) => { done = ok; fail = ko; });
  // Nobody may be waiting for a chunk when its download fails.
  stored.catch(() => undefined);
  return { chunk, stored, waited: false, kept: false, done, fail };
}

/**
 * The agent's bounded chunk cache (`<dir>/chunks`, a single-instance store): verified chunks survive an interrupted
 * download, so the next attempt fetches only the missing ones; least recently used chunks are evicted past `maxBytes`.
 * Cached signed manifests (`<dir>/manifests/<id>.json`) serve install-cached.
 */
export class PackageCache {
  private readonly store: FsChunkStore;
  /** Last use (ms) per chunk; chunks found on disk without an entry count as oldest. */
  private used: Index = {};

  constructor(
    private readonly dir: string, private readonly maxBytes: number, private readonly now: () => number,
    /** Chunks fetched at once by one download. */
    private readonly chunksInFlight = 1,
    /** Hashes the payload as it is read (a worker pool keeps that off the thread that fetches and writes). */
    private readonly hasher: Hasher = inThreadHasher,
  ) {
    this.store = new FsChunkStore(join(dir, 'chunks'));
  }

  async start(): Promise<void> {
    await mkdir(join(this.dir, 'manifests'), { recursive: true });
    await this.store.start();
    this.used = JSON.parse(await readFile(join(this.dir, 'index.json'), 'utf8').catch(() => '{}')) as Index;
  }

  /**
   * Fetches every chunk of `manifest` not yet held, verifying each, while the whole payload is hashed in order as its
   * chunks land (cached ones re-verified from disk); evicts what no longer fits.
   */
  async download(manifest: Manifest, source: ChunkSource, signal?: AbortSignal): Promise<DownloadStats> {
    const stats: DownloadStats = { fetchedChunks: 0, fetchedBytes: 0 };
    // Chunks verified in memory by this download need not be verified again when the payload is checked.
    const fresh = new Set<Digest>();
    // Chunk bytes land in reused memory (fresh buffers cost page faults per chunk): back to the pool once stored,
    // or once the payload check has hashed them. The pool keeps as many as can be in use at once.
    const buffers = new ChunkBuffers(this.chunksInFlight + KEPT_CHUNKS + HASH_LAG_CHUNKS + 1);
    try {
      const missing = new Map<Digest, Pending>();
      for (const chunk of manifest.chunks) {
        this.used[chunk.digest] = this.now();
        if (!missing.has(chunk.digest) && !(await this.store.has(chunk.digest))) missing.set(chunk.digest, pending(chunk));
      }
      // Up to `chunksInFlight` chunks at once: one slow chunk (or a source failing over) does not idle the link.
      const queue = [...missing.values()];
      let kept = 0;
      const all = [...queue];
      const worker = async () => {
        try {
          await drain();
        } catch (err) {
          queue.length = 0;
          for (const p of all) p.fail(err);
          throw err;
        }
      };
      const drain = async () => {
        for (let p = queue.shift(); p; p = queue.shift()) {
          const { chunk } = p;
          signal?.throwIfAborted();
          const bytes = await source.fetch(chunk, signal, buffers);
          stats.fetchedChunks += 1;
          stats.fetchedBytes += bytes.length;
          if (bytes.length !== chunk.size) throw new PackageInstallError('PAYLOAD_MISMATCH', `chunk ${chunk.digest} has ${bytes.length} bytes, the manifest says ${chunk.size}`);
          // The store verifies the digest before writing (CHUNK_DIGEST_MISMATCH) unless the source already has.
          if (source.verifies) await this.store.putVerified(chunk.digest, bytes);
          else await this.store.put(chunk.digest, bytes);
          fresh.add(chunk.digest);
          p.kept = !p.waited && kept < KEPT_CHUNKS;
          if (p.kept) kept += 1;
          if (p.waited || p.kept) p.done({ bytes, buffers });
          else {
            p.done(undefined);
            buffers.release(bytes);
          }
        }
      };
      // The payload check takes a chunk's bytes once (its entry then goes, so they are not held to the end).
      const wait: StoredWait = (digest) => {
        const p = missing.get(digest);
        if (!p) return undefined;
        p.waited = true;
        if (p.kept) kept -= 1;
        missing.delete(digest);
        return p.stored;
      };
      // Settled first, so no worker still writes while eviction runs; then the first failure is reported.
      const [settled, payloadError] = await Promise.all([
        Promise.allSettled(Array.from({ length: Math.min(this.chunksInFlight, queue.length) }, worker)),
        this.verifyPayload(manifest, fresh, wait, signal).then(() => undefined, (err: unknown) => err ?? new Error('payload check failed')),
      ]);
      const failure = settled.find((r) => r.status === 'rejected');
      if (failure) throw failure.reason;
      if (payloadError) throw payloadError;
    } finally {
      await this.evict(new Set(manifest.chunks.map((c) => c.digest)));
    }
    return stats;
  }

  /** True when every chunk of `manifest` is held. */
  async holds(manifest: Manifest): Promise<boolean> {
    for (const c of manifest.chunks) if (!(await this.store.has(c.digest))) return false;
    return true;
  }

  /** The payload's bytes in order, each chunk re-verified as it is read; checks length and digest at the end. */
  payload(manifest: Manifest, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
    return this.readPayload(manifest, new Set(), () => undefined, signal);
  }

  // `verified` chunks are read without checking their digest again (the payload digest still covers them); `stored`
  // waits for a chunk still being downloaded.
  private async *readPayload(manifest: Manifest, verified: ReadonlySet<Digest>, stored: StoredWait, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
    const hash = this.hasher.stream();
    const lagging: Promise<void>[] = [];
    let size = 0;
    for (const chunk of manifest.chunks) {
      signal?.throwIfAborted();
      const handed = await stored(chunk.digest);
      const held = handed?.bytes;
      if (handed) handed.bytes = undefined;
      const bytes = held ?? (verified.has(chunk.digest) ? await this.store.readRange(chunk.digest, 0, chunk.size) : await this.store.get(chunk.digest));
      if (!bytes) throw new PackageInstallError('NOT_CACHED', `chunk ${chunk.digest} of ${manifest.name} is not cached (or was corrupt on disk)`);
      // Hashing may run on a worker: at most a few chunks may wait for it, so memory stays bounded.
      const hashed = hash.update(bytes);
      lagging.push(held ? hashed.then(() => handed!.buffers.release(held)) : hashed);
      if (lagging.length > HASH_LAG_CHUNKS) await lagging.shift();
      size += bytes.length;
      yield bytes;
    }
    if (size !== manifest.payload.size || !digestEquals(await hash.digest(), manifest.payload.digest)) {
      throw new PackageInstallError('PAYLOAD_MISMATCH', `payload of ${manifest.name} does not match its signed length and digest`);
    }
  }

  /** Keeps a signed manifest for install-cached. */
  async saveManifest(packageId: number, signed: SignedManifest): Promise<void> {
    const path = join(this.dir, 'manifests', `${packageId}.json`);
    await writeFileAtomic(path, `${path}.${randomBytes(4).toString('hex')}.tmp`, Buffer.from(JSON.stringify(signed)));
  }

  /** The cached signed manifest of a package (unverified), or undefined. */
  async loadManifest(packageId: number): Promise<unknown> {
    const text = await readFile(join(this.dir, 'manifests', `${packageId}.json`), 'utf8').catch(() => undefined);
    return text === undefined ? undefined : JSON.parse(text);
  }

  /** Forgets a cached manifest. */
  async dropManifest(packageId: number): Promise<void> {
    await rm(join(this.dir, 'manifests', `${packageId}.json`), { force: true });
  }

  /** Bytes held. */
  async bytes(): Promise<number> {
    return (await this.store.stats()).bytes;
  }

  private async verifyPayload(manifest: Manifest, fresh: ReadonlySet<Digest>, stored: StoredWait, signal?: AbortSignal): Promise<void> {
    for await (const _ of this.readPayload(manifest, fresh, stored, signal)) { /* hashing is the point */ }
  }

  // Least recently used first; `keep` (the package being installed) stays even past the cap.
  private async evict(keep: ReadonlySet<Digest>): Promise<void> {
    let held = (await this.store.stats()).bytes;
    if (held > this.maxBytes) {
      const all: Digest[] = [];
      for await (const d of this.store.list()) if (!keep.has(d)) all.push(d);
      all.sort((a, b) => (this.used[a] ?? 0) - (this.used[b] ?? 0));
      for (const d of all) {
        if (held <= this.maxBytes) break;
        const before = held;
        await this.store.delete(d);
        held = (await this.store.stats()).bytes;
        if (held < before) delete this.used[d];
      }
    }
    const path = join(this.dir, 'index.json');
    await writeFileAtomic(path, `${path}.${randomBytes(4).toString('hex')}.tmp`, Buffer.from(JSON.stringify(this.used)));
  }
}
