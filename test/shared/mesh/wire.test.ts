import { pipe } from 'it-pipe';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock.js';
import { Bitfield } from '../../../shared/mesh/bitfield.js';
import { decodeFrames, encodeFrame } from '../../../shared/mesh/frames.js';
import { TokenBucket } from '../../../shared/mesh/token-bucket.js';

async function frames(pieces: Uint8Array[], max = 1024): Promise<number[][]> {
  return pipe((async function* () { yield* pieces; })(), decodeFrames(max), async (source) => {
    const out: number[][] = [];
    for await (const f of source) out.push([...f]);
    return out;
  });
}

describe('length-prefixed frames', () => {
  it('reassembles frames split and merged arbitrarily across stream pieces', async () => {
    const bytes = Buffer.concat([encodeFrame(Uint8Array.of(1, 2, 3)), encodeFrame(new Uint8Array(0)), encodeFrame(Uint8Array.of(9))]);
    for (const cut of [1, 2, 5, 8, bytes.length - 1]) {
      expect(await frames([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual([[1, 2, 3], [], [9]]);
    }
  });

  it('reassembles a large frame arriving in many small pieces, with the next frame sharing the last piece', async () => {
    const big = Uint8Array.from({ length: 3000 }, (_, i) => i % 251);
    const bytes = Buffer.concat([encodeFrame(big), encodeFrame(Uint8Array.of(7))]);
    const pieces = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7));
    expect(await frames(pieces, 4096)).toEqual([[...big], [7]]);
  });

  it('refuses oversized frames and streams that end inside a frame', async () => {
    await expect(frames([encodeFrame(new Uint8Array(2000))])).rejects.toMatchObject({ code: 'MESH_FRAME_TOO_LARGE' });
    await expect(frames([encodeFrame(Uint8Array.of(1, 2, 3)).subarray(0, 5)])).rejects.toMatchObject({ code: 'MESH_FRAME_INVALID' });
  });
});

describe('Bitfield', () => {
  it('sets, counts and round-trips through base64', () => {
    const b = new Bitfield(11);
    for (const i of [0, 7, 8, 10]) b.set(i);
    const back = Bitfield.fromBase64(11, b.toBase64());
    expect([...Array(11).keys()].filter((i) => back.get(i))).toEqual([0, 7, 8, 10]);
    expect(back.count()).toBe(4);
    expect(() => b.set(11)).toThrow(RangeError);
    expect(() => Bitfield.fromBase64(20, b.toBase64())).toThrow(RangeError);
  });
});

describe('TokenBucket', () => {
  it('lets a burst through, then paces takes at the configured rate', async () => {
    const clock = new ManualClock(0);
    const bucket = new TokenBucket(1000, 1000, clock);
    await bucket.take(1000);
    let done = false;
    const next = bucket.take(500).then(() => { done = true; });
    await clock.whenSleeping();
    await clock.advance(400);
    expect(done).toBe(false);
    await clock.advance(100);
    await next;
    expect(done).toBe(true);
  });

  it('is a no-op at rate 0 (unlimited)', async () => {
    await new TokenBucket(0, 0, new ManualClock(0)).take(10 ** 9);
  });
});
