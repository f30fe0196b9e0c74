import { createHash, timingSafeEqual } from 'node:crypto';

/** A content digest in the form `sha256:<64 hex>`. */
export type Digest = `sha256:${string}`;

const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;

/** True when `value` is a well-formed `sha256:<hex>` digest. */
export function isDigest(value: unknown): value is Digest {
  return typeof value === 'string' && DIGEST_RE.test(value);
}

/** SHA-256 of `data` as a `Digest`. */
export function sha256(data: string | Uint8Array): Digest {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** SHA-256 of `data` as bare hex (for tokens and ids stored in the database). */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Incremental SHA-256 that yields a `Digest`; feed large blocks for speed. */
export function digestStream(): { update(chunk: Uint8Array): void; digest(): Digest } {
  const h = createHash('sha256');
  return {
    update(chunk) { h.update(chunk); },
    digest() { return `sha256:${h.digest('hex')}`; },
  };
}

/** Constant-time comparison of two digests or hex strings of equal length. */
export function digestEquals(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

/** Canonical JSON (sorted keys, no whitespace) so equal values hash and sign identically. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}
