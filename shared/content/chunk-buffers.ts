import { CHUNK_MAX } from './fastcdc.js';

/** Free buffers a pool keeps by default (touched pages only: a buffer holds as much memory as its largest chunk). */
const DEFAULT_KEEP = 8;

/**
 * Reusable shared-memory buffers for chunk bytes. A fresh megabyte-sized buffer is fresh memory: every 4 KiB page
 * of it faults on first write, and ordinary buffers add external-memory pressure that triggers full garbage
 * collections; over hundreds of chunks that cost as much CPU as the TLS decryption. A download or a server that
 * hands its buffers back keeps a few warm ones instead. Buffers are backed by SharedArrayBuffers (at least
 * `CHUNK_MAX` bytes, so any chunk fits), so hash workers read them in place.
 */
export class ChunkBuffers {
  private readonly free: SharedArrayBuffer[] = [];
  private readonly owned = new WeakSet<SharedArrayBuffer>();

  constructor(private readonly keep = DEFAULT_KEEP) {}

  /** A buffer of `size` bytes, contents undefined; hand it back with `release` once nothing reads or writes it. */
  acquire(size: number): Buffer {
    const i = this.free.findIndex((b) => b.byteLength >= size);
    const memory = i >= 0 ? this.free.splice(i, 1)[0]! : this.allocate(size);
    return Buffer.from(memory, 0, size);
  }

  /** Takes back a buffer `acquire` gave out; anything else (or a buffer already back) is ignored. */
  release(bytes: Uint8Array): void {
    const memory = bytes.buffer;
    if (!(memory instanceof SharedArrayBuffer) || !this.owned.has(memory) || this.free.includes(memory)) return;
    if (this.free.length < this.keep) this.free.push(memory);
  }

  private allocate(size: number): SharedArrayBuffer {
    const memory = new SharedArrayBuffer(Math.max(size, CHUNK_MAX));
    this.owned.add(memory);
    return memory;
  }
}
