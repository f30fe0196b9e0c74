import { readdir, rename, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChunkBuffers } from '../../../shared/content/chunk-buffers.js';
import type { ChunkStore } from '../../../shared/content/chunk-store.js';
import { ChunkDigestMismatchError } from '../../../shared/content/errors.js';
import { FsChunkStore } from '../../../shared/content/fs-chunk-store.js';
import { MemoryChunkStore } from '../../../shared/content/memory-chunk-store.js';
import { sha256, type Digest } from '../../../shared/digest.js';
import { tempDir } from './tree-fixture.js';

const bytes = (s: string) => new Uint8Array(Buffer.from(s));

async function listAll(store: ChunkStore): Promise<Digest[]> {
  const out: Digest[] = [];
  for await (const d of store.list()) out.push(d);
  return out.sort();
}

describe.each([
  ['MemoryChunkStore', async () => ({ store: new MemoryChunkStore() as ChunkStore, cleanup: async () => {} })],
  ['FsChunkStore', async () => {
    const { dir, cleanup } = await tempDir();
    return { store: new FsChunkStore(join(dir, 'chunks')) as ChunkStore, cleanup };
  }],
])('%s', (_name, make) => {
  let store: ChunkStore;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await make());
    await store.start();
  });
  afterEach(async () => {
    await store.stop();
    await cleanup();
  });

  it('stores a chunk once and reads it back whole and by range', async () => {
    const data = bytes('hello chunk');
    const d = sha256(data);
    expect(await store.has(d)).toBe(false);
    expect(await store.put(d, data)).toBe(true);
    expect(await store.put(d, data)).toBe(false);
    expect(await store.has(d)).toBe(true);
    expect(Buffer.from((await store.get(d))!).toString()).toBe('hello chunk');
    expect(Buffer.from((await store.readRange(d, 6, 100))!).toString()).toBe('chunk');
    expect(Buffer.from((await store.readRange(d, 0, 5))!).toString()).toBe('hello');
    expect(await store.stats()).toEqual({ chunks: 1, bytes: data.length });
    expect(await listAll(store)).toEqual([d]);
  });

  it('refuses bytes that do not match the digest', async () => {
    const d = sha256('expected');
    await expect(store.put(d, bytes('other'))).rejects.toBeInstanceOf(ChunkDigestMismatchError);
    await expect(store.put(d, bytes('other'))).rejects.toMatchObject({ code: 'CHUNK_DIGEST_MISMATCH' });
    expect(await store.has(d)).toBe(false);
    expect(await store.stats()).toEqual({ chunks: 0, bytes: 0 });
  });

  it('counts concurrent puts of the same chunk once', async () => {
    const data = bytes('x'.repeat(100_000));
    const d = sha256(data);
    const results = await Promise.all(Array.from({ length: 20 }, () => store.put(d, data)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.stats()).toEqual({ chunks: 1, bytes: data.length });
    expect(await listAll(store)).toEqual([d]);
  });

  it('deletes chunks', async () => {
    const a = bytes('a');
    const b = bytes('bb');
    await store.put(sha256(a), a);
    await store.put(sha256(b), b);
    expect(await store.delete(sha256(a))).toBe(true);
    expect(await store.delete(sha256(a))).toBe(false);
    expect(await store.get(sha256(a))).toBeUndefined();
    expect(await store.readRange(sha256(a), 0, 1)).toBeUndefined();
    expect(await store.stats()).toEqual({ chunks: 1, bytes: 2 });
  });
});

describe('FsChunkStore on disk', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  /** A started store under `dir` holding one chunk, and the path of that chunk's file. */
  async function storeWithChunk(text: string) {
    const root = join(dir, 'chunks');
    const store = new FsChunkStore(root);
    await store.start();
    const data = bytes(text);
    const d = sha256(data);
    await store.put(d, data);
    const hex = d.slice(7);
    return { root, store, data, d, file: join(root, hex.slice(0, 2), hex.slice(2, 4), hex) };
  }

  it('shards chunks as ab/cd/<hex> and recounts them on start', async () => {
    const root = join(dir, 'chunks');
    const store = new FsChunkStore(root);
    await store.start();
    const data = bytes('sharded');
    const d = sha256(data);
    await store.put(d, data);
    const hex = d.slice(7);
    expect(await readdir(join(root, hex.slice(0, 2), hex.slice(2, 4)))).toEqual([hex]);
    const reopened = new FsChunkStore(root);
    await reopened.start();
    expect(await reopened.stats()).toEqual({ chunks: 1, bytes: data.length });
  });

  it('removes leftover temp files on start and never lists them', async () => {
    const root = join(dir, 'chunks');
    await mkdir(join(root, 'tmp'), { recursive: true });
    const d = sha256('half');
    await writeFile(join(root, 'tmp', `${d.slice(7)}.deadbeef`), 'ha');
    const store = new FsChunkStore(root);
    await store.start();
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
    expect(await store.has(d)).toBe(false);
    expect(await listAll(store)).toEqual([]);
  });

  it('leaves no temp file behind after puts', async () => {
    const store = new FsChunkStore(join(dir, 'chunks'));
    await store.start();
    for (let i = 0; i < 10; i++) await store.put(sha256(`c${i}`), bytes(`c${i}`));
    expect(await readdir(join(dir, 'chunks', 'tmp'))).toEqual([]);
  });

  it('reads a chunk into a pooled buffer when given a pool, and hands the buffer of a corrupt chunk back', async () => {
    const { store, d, file } = await storeWithChunk('intact');
    const pool = new ChunkBuffers();
    const got = (await store.get(d, pool))!;
    expect(Buffer.from(got).toString()).toBe('intact');
    expect(got.buffer).toBeInstanceOf(SharedArrayBuffer);
    pool.release(got);
    await writeFile(file, 'rotten');
    expect(await store.get(d, pool)).toBeUndefined();
    expect(pool.acquire(1).buffer).toBe(got.buffer);
  });

  it('treats a chunk corrupted on disk as missing', async () => {
    const { store, data, d, file } = await storeWithChunk('intact');
    await writeFile(file, 'rotten');
    expect(await store.get(d)).toBeUndefined();
    expect(await store.has(d)).toBe(false);
    expect(await store.put(d, data)).toBe(true);
  });

  it('still detects a chunk corrupted in place right after a read (a file that just changed is never marked verified)', async () => {
    const { store, d, file } = await storeWithChunk('intact');
    expect(Buffer.from((await store.get(d))!).toString()).toBe('intact');
    await writeFile(file, 'rotten');
    expect(await store.get(d)).toBeUndefined();
  });

  it('detects a settled chunk it verified before once the file is rewritten or replaced', async () => {
    const root = join(dir, 'chunks');
    const store = new FsChunkStore(root, { settleMs: 20 });
    await store.start();
    const data = bytes('intact');
    const d = sha256(data);
    const hex = d.slice(7);
    const path = join(root, hex.slice(0, 2), hex.slice(2, 4), hex);
    for (const corrupt of [() => writeFile(path, 'rotten'), async () => { await writeFile(`${path}.new`, 'rotten'); await rename(`${path}.new`, path); }]) {
      await store.put(d, data);
      // File timestamps are the real clock's: let the new file settle so the read below marks it verified.
      await new Promise((r) => setTimeout(r, 40));
      expect(Buffer.from((await store.get(d))!).toString()).toBe('intact');
      expect(Buffer.from((await store.get(d))!).toString()).toBe('intact');
      await corrupt();
      expect(await store.get(d)).toBeUndefined();
      expect(await store.has(d)).toBe(false);
    }
  });
});
