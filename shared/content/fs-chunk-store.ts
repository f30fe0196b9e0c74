import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Digest } from '../digest.js';
import { fsyncDir, writeFileAtomic } from '../fs/atomic-write.js';
import type { ChunkBuffers } from './chunk-buffers.js';
import { rangeEnd, verifyChunk, type ChunkStore, type ChunkStoreStats } from './chunk-store.js';
import { ChunkDigestMismatchError } from './errors.js';
import { VerifiedMarks, type VerifiedMarksOptions } from './verified-marks.js';

const HEX = /^[0-9a-f]{64}$/;
const SHARD = /^[0-9a-f]{2}$/;
const TMP_DIR = 'tmp';

/**
 * ChunkStore on a local filesystem: `<root>/ab/cd/<hex>`, written via a temp file, fsync and rename so a partial
 * chunk is never visible. One process owns a store directory: `start()` deletes leftover temp files.
 */
export class FsChunkStore implements ChunkStore {
  private readonly inFlight = new Map<Digest, Promise<boolean>>();
  private counts: ChunkStoreStats = { chunks: 0, bytes: 0 };
  private readonly verified: VerifiedMarks;

  /** `marks` tunes which intact files `get` remembers (see `VerifiedMarks`). */
  constructor(private readonly root: string, marks?: VerifiedMarksOptions) {
    this.verified = new VerifiedMarks(marks);
  }

  async start(): Promise<void> {
    await rm(join(this.root, TMP_DIR), { recursive: true, force: true });
    await mkdir(join(this.root, TMP_DIR), { recursive: true });
    const counts = { chunks: 0, bytes: 0 };
    for await (const digest of this.list()) {
      counts.chunks += 1;
      counts.bytes += (await stat(this.pathOf(digest))).size;
    }
    this.counts = counts;
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.inFlight.values());
  }

  async has(digest: Digest): Promise<boolean> {
    return (await this.sizeOf(digest)) !== undefined;
  }

  /**
   * Reads the chunk and verifies it, unless this very file (same identity, see `VerifiedMarks`) was verified before;
   * a chunk corrupted on disk is deleted and reported as missing.
   */
  async get(digest: Digest, buffers?: ChunkBuffers): Promise<Uint8Array | undefined> {
    const fh = await open(this.pathOf(digest), 'r').catch(ifMissing(undefined));
    if (!fh) return undefined;
    try {
      // The identity is taken from the open file, so it is that of the bytes read.
      const st = await fh.stat({ bigint: true });
      const data = await readAt(fh, 0, Number(st.size), buffers);
      if (this.verified.holds(digest, st)) return data;
      if (intact(digest, data)) {
        this.verified.mark(digest, st);
        return data;
      }
      buffers?.release(data);
    } finally {
      await fh.close();
    }
    await this.delete(digest);
    return undefined;
  }

  async readRange(digest: Digest, offset: number, length: number): Promise<Uint8Array | undefined> {
    const fh = await open(this.pathOf(digest), 'r').catch(ifMissing(undefined));
    if (!fh) return undefined;
    try {
      const end = rangeEnd((await fh.stat()).size, offset, length);
      return await readAt(fh, offset, Math.max(0, end - offset));
    } finally {
      await fh.close();
    }
  }

  async put(digest: Digest, bytes: Uint8Array): Promise<boolean> {
    verifyChunk(digest, bytes);
    return this.putVerified(digest, bytes);
  }

  /** `put` for bytes the caller has itself just checked against `digest` (they are not hashed again). */
  async putVerified(digest: Digest, bytes: Uint8Array): Promise<boolean> {
    const pending = this.inFlight.get(digest);
    if (pending) return pending.then(() => false);
    const write = this.write(digest, bytes).finally(() => this.inFlight.delete(digest));
    this.inFlight.set(digest, write);
    return write;
  }

  async delete(digest: Digest): Promise<boolean> {
    const size = await this.sizeOf(digest);
    if (size === undefined) return false;
    this.verified.forget(digest);
    const removed = await unlink(this.pathOf(digest)).then(() => true, ifMissing(false));
    if (removed) this.counts = { chunks: this.counts.chunks - 1, bytes: this.counts.bytes - size };
    return removed;
  }

  async *list(): AsyncIterable<Digest> {
    for (const a of await readdir(this.root).catch(ifMissing([]))) {
      if (!SHARD.test(a)) continue;
      for (const b of await readdir(join(this.root, a)).catch(ifMissing([]))) {
        if (!SHARD.test(b)) continue;
        for (const name of await readdir(join(this.root, a, b)).catch(ifMissing([]))) {
          if (HEX.test(name) && name.startsWith(a + b)) yield `sha256:${name}`;
        }
      }
    }
  }

  async stats(): Promise<ChunkStoreStats> {
    return { ...this.counts };
  }

  private async write(digest: Digest, bytes: Uint8Array): Promise<boolean> {
    if (await this.has(digest)) return false;
    const final = this.pathOf(digest);
    const shardDir = join(final, '..');
    // mkdir reports the first directory it created; the entries naming new directories need flushing too.
    const created = await mkdir(shardDir, { recursive: true });
    if (created) {
      const top = join(this.root, digest.slice(7, 9));
      if (created === top) await fsyncDir(this.root);
      await fsyncDir(top);
    }
    const tmp = join(this.root, TMP_DIR, `${digest.slice(7)}.${randomBytes(6).toString('hex')}`);
    await writeFileAtomic(final, tmp, bytes);
    this.counts = { chunks: this.counts.chunks + 1, bytes: this.counts.bytes + bytes.length };
    return true;
  }

  private async sizeOf(digest: Digest): Promise<number | undefined> {
    const st = await stat(this.pathOf(digest)).catch(ifMissing(undefined));
    return st?.size;
  }

  private pathOf(digest: Digest): string {
    const hex = digest.slice(7);
    if (!HEX.test(hex)) throw new RangeError(`not a sha256 digest: ${digest}`);
    return join(this.root, hex.slice(0, 2), hex.slice(2, 4), hex);
  }
}

function intact(digest: Digest, data: Uint8Array): boolean {
  try {
    verifyChunk(digest, data);
    return true;
  } catch (err) {
    if (err instanceof ChunkDigestMismatchError) return false;
    throw err;
  }
}

// Up to `length` bytes from `offset` (fewer when the file ends first), in a buffer from `buffers` when given; not
// zero-filled: only the bytes read are returned.
async function readAt(fh: FileHandle, offset: number, length: number, buffers?: ChunkBuffers): Promise<Buffer> {
  const buf = buffers ? buffers.acquire(length) : Buffer.allocUnsafeSlow(length);
  let done = 0;
  while (done < buf.length) {
    const { bytesRead } = await fh.read(buf, done, buf.length - done, offset + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === buf.length ? buf : buf.subarray(0, done);
}

function ifMissing<T>(value: T): (err: NodeJS.ErrnoException) => T {
  return (err) => {
    if (err.code === 'ENOENT') return value;
    throw err;
  };
}
