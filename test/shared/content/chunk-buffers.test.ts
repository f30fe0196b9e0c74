import { describe, expect, it } from 'vitest';
import { ChunkBuffers } from '../../../shared/content/chunk-buffers.js';
import { CHUNK_MAX } from '../../../shared/content/fastcdc.js';

describe('ChunkBuffers', () => {
  it('hands out shared-memory buffers of the asked size and reuses released memory', () => {
    const pool = new ChunkBuffers();
    const a = pool.acquire(1000);
    expect(a.length).toBe(1000);
    expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    const b = pool.acquire(2000);
    expect(b.buffer).not.toBe(a.buffer);
    pool.release(a);
    const c = pool.acquire(CHUNK_MAX);
    expect(c.buffer).toBe(a.buffer);
    expect(c.length).toBe(CHUNK_MAX);
  });

  it('never gives one buffer to two holders: a second release and foreign memory are ignored', () => {
    const pool = new ChunkBuffers();
    const a = pool.acquire(10);
    pool.release(a);
    pool.release(a);
    pool.release(Buffer.from(new SharedArrayBuffer(CHUNK_MAX)));
    pool.release(Buffer.alloc(CHUNK_MAX));
    const first = pool.acquire(10);
    const second = pool.acquire(10);
    expect(first.buffer).toBe(a.buffer);
    expect(second.buffer).not.toBe(a.buffer);
  });

  it('fits chunks larger than the usual maximum, and keeps at most its limit of free buffers', () => {
    const pool = new ChunkBuffers(1);
    const big = pool.acquire(CHUNK_MAX + 1);
    expect(big.length).toBe(CHUNK_MAX + 1);
    const small = pool.acquire(1);
    pool.release(small);
    pool.release(big);
    expect(pool.acquire(CHUNK_MAX + 1).buffer).not.toBe(big.buffer);
    expect(pool.acquire(1).buffer).toBe(small.buffer);
  });
});
