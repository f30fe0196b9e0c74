import { createCipheriv, createHash } from 'node:crypto';

/** `n` pseudo-random bytes determined by `seed` (AES-128-CTR keystream), fast enough for tens of MiB. */
export function seededBytes(seed: string, n: number): Buffer {
  const key = createHash('sha256').update(seed).digest();
  const cipher = createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32));
  return Buffer.concat([cipher.update(Buffer.alloc(n)), cipher.final()]);
}

/** Yields `data` in blocks of `size` bytes, like a file read stream. */
export async function* blocksOf(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}
