import { chunkStream, type Chunk } from '../../shared/content/fastcdc.js';
import type { HashWorkers } from '../../shared/content/hash-workers.js';
import type { Manifest } from '../../shared/content/manifest.js';

/** What cutting a payload gives a manifest: its chunk list and the whole payload's digest and size. */
export interface ChunkedPayload {
  chunks: Manifest['chunks'];
  payload: Manifest['payload'];
}

/**
 * Cuts a payload into FastCDC chunks, hashing every chunk and the whole payload on `workers` while the next chunks
 * are cut, and hands each chunk to `onChunk` in order (the next is cut while it runs only up to the hashing window).
 */
export async function chunkPayload(
  source: AsyncIterable<Uint8Array>, workers: HashWorkers, onChunk: (chunk: Chunk) => unknown, signal?: AbortSignal,
): Promise<ChunkedPayload> {
  const chunks: Manifest['chunks'] = [];
  const whole = workers.stream();
  let size = 0;
  for await (const chunk of chunkStream(source, { signal, hasher: workers })) {
    whole.update(chunk.data);
    chunks.push({ digest: chunk.digest, size: chunk.length });
    size += chunk.length;
    await onChunk(chunk);
  }
  return { chunks, payload: { digest: await whole.digest(), size } };
}
