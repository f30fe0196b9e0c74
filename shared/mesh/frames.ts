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

/** it-pipe transform: splits a byte stream into length-prefixed frames, refusing frames over `maxBytes`. */
export function decodeFrames(maxBytes: number) {
  return async function* (source: AsyncIterable<StreamBytes>): AsyncGenerator<Uint8Array> {
    let buffered: Buffer = Buffer.alloc(0);
    for await (const piece of source) {
      const bytes = piece instanceof Uint8Array ? piece : piece.subarray();
      buffered = buffered.length ? Buffer.concat([buffered, bytes]) : Buffer.from(bytes);
      while (buffered.length >= 4) {
        const size = buffered.readUInt32BE(0);
        if (size > maxBytes) throw new MeshError('MESH_FRAME_TOO_LARGE', `frame of ${size} bytes exceeds ${maxBytes}`);
        if (buffered.length < 4 + size) break;
        yield new Uint8Array(buffered.subarray(4, 4 + size));
        buffered = buffered.subarray(4 + size);
      }
    }
    if (buffered.length) throw new MeshError('MESH_FRAME_INVALID', `stream ended inside a frame (${buffered.length} bytes left)`);
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
