import { MeshError } from './errors.js';

/** What libp2p streams yield: plain bytes or a Uint8ArrayList (both have `subarray()`). */
export type StreamBytes = Uint8Array | { subarray(): Uint8Array };

/** Prefixes `body` with its length as a 4-byte big-endian integer. */
export function encodeFrame(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, body.length);
  out.set(body, 4);
  return out;
}

/**
 * it-pipe transform: splits a byte stream into length-prefixed frames, refusing frames over `maxBytes`.
 * Pieces are kept in a list and joined once per frame (a 4 MiB chunk arrives in dozens of pieces).
 */
export function decodeFrames(maxBytes: number) {
  return async function* (source: AsyncIterable<StreamBytes>): AsyncGenerator<Uint8Array> {
    const pieces: Uint8Array[] = [];
    let length = 0;
    const take = (n: number): Uint8Array => {
      const out = new Uint8Array(n);
      let filled = 0;
      while (filled < n) {
        const piece = pieces[0]!;
        const used = Math.min(piece.length, n - filled);
        out.set(piece.subarray(0, used), filled);
        filled += used;
        if (used === piece.length) pieces.shift(); else pieces[0] = piece.subarray(used);
      }
      length -= n;
      return out;
    };
    let size: number | undefined;
    for await (const piece of source) {
      const bytes = piece instanceof Uint8Array ? piece : piece.subarray();
      if (!bytes.length) continue;
      pieces.push(bytes);
      length += bytes.length;
      for (;;) {
        if (size === undefined) {
          if (length < 4) break;
          size = new DataView(take(4).buffer).getUint32(0);
          if (size > maxBytes) throw new MeshError('MESH_FRAME_TOO_LARGE', `frame of ${size} bytes exceeds ${maxBytes}`);
        }
        if (length < size) break;
        const frame = take(size);
        size = undefined;
        yield frame;
      }
    }
    if (length || size !== undefined) throw new MeshError('MESH_FRAME_INVALID', `stream ended inside a frame (${length + (size === undefined ? 0 : 4)} bytes left)`);
  };
}

/** JSON body of a control frame. */
export function jsonFrame(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

/** Parses a control frame's JSON, reporting garbage as MESH_FRAME_INVALID. */
export function parseJsonFrame(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new MeshError('MESH_FRAME_INVALID', 'control frame is not JSON');
  }
}
