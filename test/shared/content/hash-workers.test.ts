import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HashWorkers, inThreadHasher } from '../../../shared/content/hash-workers.js';
import { sha256 } from '../../../shared/digest.js';

describe('HashWorkers', () => {
  const data = randomBytes(300_000);
  const shared = Buffer.from(new SharedArrayBuffer(data.length));
  data.copy(shared);

  it('digests plain and shared-memory data, whole and streamed, like sha256 on this thread', async () => {
    const workers = new HashWorkers(2);
    try {
      for (const hasher of [workers, inThreadHasher]) {
        expect(await hasher.digest(data)).toBe(sha256(data));
        expect(await hasher.digest(shared.subarray(1000))).toBe(sha256(data.subarray(1000)));
        const stream = hasher.stream();
        stream.update(data.subarray(0, 1000));
        stream.update(shared.subarray(1000));
        expect(await stream.digest()).toBe(sha256(data));
      }
    } finally {
      await workers.close();
    }
  });

  it('fails the jobs of a worker that died and replaces it for later jobs; refuses work once closed', async () => {
    const workers = new HashWorkers(1);
    // Not bytes: the worker's hash throws, which ends the worker.
    const poison = { length: 1, byteOffset: 0, byteLength: 1, buffer: new ArrayBuffer(1) } as unknown as Uint8Array;
    await expect(workers.digest(poison)).rejects.toThrow();
    expect(await workers.digest(data)).toBe(sha256(data));
    await workers.close();
    await expect(workers.digest(data)).rejects.toThrow('closed');
  });
});
