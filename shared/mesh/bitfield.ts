/** A fixed-length set of chunk indexes (bit i set = chunk i of a manifest's chunk list is held). */
export class Bitfield {
  readonly bytes: Uint8Array;

  constructor(readonly length: number, bytes?: Uint8Array) {
    const size = Math.ceil(length / 8);
    if (bytes && bytes.length !== size) throw new RangeError(`bitfield of ${length} bits needs ${size} bytes, got ${bytes.length}`);
    this.bytes = bytes ? new Uint8Array(bytes) : new Uint8Array(size);
  }

  /** Decodes the base64 form sent in have-lists and announcements. */
  static fromBase64(length: number, text: string): Bitfield {
    return new Bitfield(length, Buffer.from(text, 'base64'));
  }

  get(index: number): boolean {
    return index >= 0 && index < this.length && (this.bytes[index >> 3]! & (0x80 >> (index & 7))) !== 0;
  }

  set(index: number): void {
    if (index < 0 || index >= this.length) throw new RangeError(`bit ${index} outside 0..${this.length - 1}`);
    this.bytes[index >> 3]! |= 0x80 >> (index & 7);
  }

  /** Number of bits set. */
  count(): number {
    let n = 0;
    for (let i = 0; i < this.length; i++) if (this.get(i)) n++;
    return n;
  }

  toBase64(): string {
    return Buffer.from(this.bytes).toString('base64');
  }
}
