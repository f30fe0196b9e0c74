import { createReadStream } from 'node:fs';
import { chunkPayload } from '../../../coordinator/pkg/chunk-payload.js';
import { HashWorkers } from '../../../shared/content/hash-workers.js';
import { hexOf, timedCommand } from './timed-command.js';

/** Target: the product's chunk + hash throughput at least this fraction of `sha256sum`'s. */
export const CHUNKING_TARGET = 0.7;

/** Seconds of each timed run and the best of them. */
export interface Timings { runs: number[]; best: number }

/** Chunk + hash of one payload file beside `sha256sum` (judged) and `openssl dgst -sha256` (information). */
export interface ChunkingResult {
  bytes: number;
  chunks: number;
  hashWorkers: number;
  product: Timings;
  sha256sum: Timings;
  openssl: Timings;
  /** Product throughput over sha256sum's (best runs). */
  ratio: number;
  target: number;
  pass: boolean;
}

/** Best (shortest) of the timings. */
export function timings(runs: number[]): Timings {
  return { runs, best: Math.min(...runs) };
}

/**
 * Times, `runs` times in turn: `sha256sum FILE`, the product's chunk + hash of FILE (`chunkPayload` with fresh
 * `HashWorkers`, exactly what `pkg build` runs, minus writing the spool) and `openssl dgst -sha256 FILE`.
 * Every run must agree on the payload digest.
 */
export async function measureChunking(file: string, bytes: number, runs: number, tick: () => void): Promise<ChunkingResult> {
  const product: number[] = [];
  const sha256sum: number[] = [];
  const openssl: number[] = [];
  let chunks = 0;
  let hashWorkers = 0;
  for (let i = 0; i < runs; i++) {
    const sum = await timedCommand('sha256sum', [file]);
    sha256sum.push(sum.seconds);
    tick();
    const started = performance.now();
    const workers = new HashWorkers();
    try {
      const cut = await chunkPayload(createReadStream(file, { highWaterMark: 1024 * 1024 }), workers, () => undefined);
      product.push((performance.now() - started) / 1000);
      if (cut.payload.digest !== `sha256:${hexOf(sum.stdout)}` || cut.payload.size !== bytes) throw new Error('chunkPayload and sha256sum disagree on the payload digest');
      chunks = cut.chunks.length;
      hashWorkers = workers.size;
    } finally {
      await workers.close();
    }
    tick();
    openssl.push((await timedCommand('openssl', ['dgst', '-sha256', file])).seconds);
    tick();
  }
  const p = timings(product);
  const s = timings(sha256sum);
  const ratio = s.best / p.best;
  return { bytes, chunks, hashWorkers, product: p, sha256sum: s, openssl: timings(openssl), ratio, target: CHUNKING_TARGET, pass: ratio >= CHUNKING_TARGET };
}
