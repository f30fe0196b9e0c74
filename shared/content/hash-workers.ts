import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { digestStream, sha256, type Digest } from '../digest.js';

/** Computes chunk digests, possibly off the calling thread. */
export interface ChunkHasher {
  /** `sha256:<hex>` of `data`; the caller must not change `data` until the promise settles. */
  digest(data: Uint8Array): Promise<Digest>;
}

/** An incremental SHA-256 whose work may run elsewhere; updates are hashed in call order. */
export interface AsyncDigestStream {
  /**
   * Hashes `data` next; resolves once it is hashed (never rejects: a failure surfaces from `digest()`), which callers
   * may await to bound how far hashing lags. The caller must not change `data` until then.
   */
  update(data: Uint8Array): Promise<void>;
  digest(): Promise<Digest>;
}

/** Chunk digests and incremental digests, possibly off the calling thread. */
export interface Hasher extends ChunkHasher {
  stream(): AsyncDigestStream;
}

/** A `Hasher` that hashes on the calling thread. */
export const inThreadHasher: Hasher = {
  digest: async (data) => sha256(data),
  stream() {
    const h = digestStream();
    return { update: async (data) => h.update(data), digest: async () => h.digest() };
  },
};

// Plain CommonJS evaluated in the worker, so it loads the same way under tsx, vitest and the compiled build.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const streams = new Map();
parentPort.on('message', (m) => {
  if (m.op === 'digest') return parentPort.postMessage({ id: m.id, hex: createHash('sha256').update(m.data).digest('hex') });
  let h = streams.get(m.stream);
  if (!h) streams.set(m.stream, (h = createHash('sha256')));
  if (m.op === 'update') return void (h.update(m.data), parentPort.postMessage({ id: m.id }));
  streams.delete(m.stream);
  parentPort.postMessage({ id: m.id, hex: h.digest('hex') });
});
`;

interface Slot {
  worker: Worker;
  /** Bytes sent and not yet answered for (load balancing), and jobs awaiting an answer (keeps the worker referenced). */
  queuedBytes: number;
  /** Set when the worker died; every later job fails with it. */
  dead?: Error;
  /** Answers carry a hex digest, or nothing for a hashed stream update. */
  waiting: Map<number, { resolve(hex: string | undefined): void; reject(e: Error): void; bytes: number }>;
}

/** Workers a pool starts by default: one per core beside the calling thread, at least one, at most four. */
export function defaultHashWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/**
 * SHA-256 on worker threads, so hashing runs beside the thread that reads, cuts or decrypts the bytes.
 * Data backed by a SharedArrayBuffer is hashed in place; other data is copied once into the message.
 * Workers start on first use, and one that died is replaced for later jobs (the jobs it held fail). Idle workers do
 * not keep the process alive; `close()` ends them.
 */
export class HashWorkers implements Hasher {
  private readonly slots: (Slot | undefined)[];
  private nextId = 1;
  private closed = false;

  constructor(count = defaultHashWorkers()) {
    this.slots = Array.from({ length: Math.max(1, count) }, () => undefined);
  }

  /** Worker threads in the pool. */
  get size(): number {
    return this.slots.length;
  }

  async digest(data: Uint8Array): Promise<Digest> {
    const slot = this.leastBusy();
    const id = this.nextId++;
    const done = this.await(slot, id, data.length);
    slot.worker.postMessage({ op: 'digest', id, data: transferable(data) });
    return `sha256:${await done}`;
  }

  /** An incremental hash pinned to one worker (messages to a worker arrive in order). */
  stream(): AsyncDigestStream {
    const slot = this.leastBusy();
    const stream = this.nextId++;
    return {
      update: (data) => {
        const id = this.nextId++;
        const done = this.await(slot, id, data.length).then(() => undefined, () => undefined);
        slot.worker.postMessage({ op: 'update', id, stream, data: transferable(data) });
        return done;
      },
      digest: async () => {
        const id = this.nextId++;
        const done = this.await(slot, id, 0);
        slot.worker.postMessage({ op: 'final', id, stream });
        return `sha256:${await done}`;
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.slots.map((s) => s?.worker.terminate()));
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(WORKER_SOURCE, { eval: true }), queuedBytes: 0, waiting: new Map() };
    slot.worker.unref();
    slot.worker.on('message', (m: { id: number; hex?: string }) => {
      const job = slot.waiting.get(m.id);
      if (!job) return;
      slot.waiting.delete(m.id);
      slot.queuedBytes -= job.bytes;
      if (slot.waiting.size === 0) slot.worker.unref();
      job.resolve(m.hex);
    });
    slot.worker.on('error', (err) => this.fail(slot, err));
    slot.worker.on('exit', (code) => this.fail(slot, new Error(`hash worker exited with code ${code}`)));
    return slot;
  }

  // Registers a job of `bytes` (counted until answered) before its message is posted.
  private await(slot: Slot, id: number, bytes: number): Promise<string | undefined> {
    if (this.closed) return Promise.reject(new Error('hash workers are closed'));
    if (slot.dead) return Promise.reject(slot.dead);
    slot.worker.ref();
    slot.queuedBytes += bytes;
    return new Promise<string | undefined>((resolve, reject) => slot.waiting.set(id, { resolve, reject, bytes }));
  }

  private fail(slot: Slot, err: Error): void {
    slot.dead ??= err;
    for (const job of slot.waiting.values()) job.reject(err);
    slot.waiting.clear();
  }

  private leastBusy(): Slot {
    if (this.closed) throw new Error('hash workers are closed');
    let best: Slot | undefined;
    for (let i = 0; i < this.slots.length; i++) {
      let slot = this.slots[i];
      if (!slot || slot.dead) this.slots[i] = slot = this.spawn();
      if (!best || slot.queuedBytes < best.queuedBytes) best = slot;
    }
    return best!;
  }
}

// A view of a larger ArrayBuffer would be cloned whole; shared memory is passed as is.
function transferable(data: Uint8Array): Uint8Array {
  if (data.buffer instanceof SharedArrayBuffer) return data;
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
}
