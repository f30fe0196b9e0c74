import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkStream, CHUNK_MAX, CHUNK_MIN, type Chunk, type ChunkerOptions } from '../../../shared/content/fastcdc.js';
import { HashWorkers } from '../../../shared/content/hash-workers.js';
import { sha256 } from '../../../shared/digest.js';
import { blocksOf, seededBytes } from './seeded-bytes.js';

async function chunksOf(data: Uint8Array, blockSize: number, options?: ChunkerOptions): Promise<Chunk[]> {
  const out: Chunk[] = [];
  for await (const c of chunkStream(blocksOf(data, blockSize), options)) out.push(c);
  return out;
}

describe('chunkStream (FastCDC)', () => {
  const MiB = 1024 * 1024;
  const original = seededBytes('fastcdc-64MiB', 64 * MiB);

  it('keeps every chunk within bounds, with offsets, lengths and digests that match', async () => {
    const chunks = await chunksOf(original, 64 * 1024);
    expect(chunks.length).toBeGreaterThan(32);
    expect(chunks.length).toBeLessThan(128);
    let offset = 0;
    for (const [i, c] of chunks.entries()) {
      expect(c.offset).toBe(offset);
      expect(c.length).toBe(c.data.length);
      expect(c.digest).toBe(sha256(c.data));
      expect(c.length).toBeLessThanOrEqual(CHUNK_MAX);
      if (i < chunks.length - 1) expect(c.length).toBeGreaterThanOrEqual(CHUNK_MIN);
      offset += c.length;
    }
    expect(offset).toBe(original.length);
  });

  it('cuts the same chunks whatever the input block size', async () => {
    const data = original.subarray(0, 12 * MiB);
    const a = (await chunksOf(data, 7919)).map((c) => c.digest);
    const b = (await chunksOf(data, 5 * MiB)).map((c) => c.digest);
    expect(b).toEqual(a);
  });

  it('changes only a few chunks when 1% of a 64 MiB file changes in one place', async () => {
    const modified = Buffer.from(original);
    const start = 40 * MiB + 12345;
    seededBytes('the-change', Math.floor(original.length / 100)).copy(modified, start);
    const before = new Set((await chunksOf(original, MiB)).map((c) => c.digest));
    const after = await chunksOf(modified, MiB);
    const changed = after.filter((c) => !before.has(c.digest));
    expect(after.length).toBeGreaterThan(40);
    expect(changed.length).toBeLessThanOrEqual(3);
  });

  it('cuts at max size when the content never matches (all zeros)', async () => {
    const chunks = await chunksOf(new Uint8Array(9 * MiB), MiB);
    expect(chunks.map((c) => c.length)).toEqual([CHUNK_MAX, CHUNK_MAX, MiB]);
  });

  it('reproduces the input when chunks are concatenated (property)', async () => {
    const small = { min: 64, avg: 256, max: 1024 };
    await fc.assert(fc.asyncProperty(
      fc.uint8Array({ maxLength: 8192 }),
      fc.integer({ min: 1, max: 3000 }),
      async (data, blockSize) => {
        const chunks = await chunksOf(data, blockSize, small);
        expect(Buffer.concat(chunks.map((c) => c.data))).toEqual(Buffer.from(data));
        chunks.slice(0, -1).forEach((c) => expect(c.length).toBeGreaterThanOrEqual(small.min));
        chunks.forEach((c) => expect(c.length).toBeLessThanOrEqual(small.max));
      },
    ), { numRuns: 200 });
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(chunksOf(original.subarray(0, MiB), 1024, { signal: controller.signal })).rejects.toThrow();
  });

  it('cuts and digests identically when hashing on worker threads, and digests a whole stream there', async () => {
    const workers = new HashWorkers(2);
    try {
      const data = original.subarray(0, 24 * MiB);
      const strip = (chunks: Chunk[]) => chunks.map((c) => ({ offset: c.offset, length: c.length, digest: c.digest, data: sha256(c.data) }));
      const off = await chunksOf(data, 3 * MiB + 17, { hasher: workers });
      expect(off.length).toBeGreaterThan(10);
      expect(strip(off)).toEqual(strip(await chunksOf(data, MiB)));
      const whole = workers.stream();
      for await (const block of blocksOf(data, 5 * MiB + 3)) whole.update(block);
      expect(await whole.digest()).toBe(sha256(data));
    } finally {
      await workers.close();
    }
    await expect(workers.digest(new Uint8Array(1))).rejects.toThrow(/closed/);
  });
});
