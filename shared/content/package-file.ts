import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { canonicalJson, digestEquals, digestStream, sha256, type Digest } from '../digest.js';
import { safeJsonParse } from '../json.js';
import { z } from '../schemas/zod.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { ByteReader } from './byte-reader.js';
import { PackageFileError } from './errors.js';
import { checkManifestConsistency, Manifest, parseManifestShape, SignedManifest } from './manifest.js';

/** First bytes of every package file. */
export const PACKAGE_MAGIC = Buffer.from('HOMINGPKG1\n');

/** The JSON after the magic: a signed manifest, or an unsigned one as `pkg build` writes it. */
export const PackageHeader = z.union([SignedManifest, z.strictObject({ manifest: Manifest })]);
/** The JSON after the magic: a signed manifest, or an unsigned one as `pkg build` writes it. */
export type PackageHeader = z.infer<typeof PackageHeader>;

/** Bounds a reader enforces before allocating anything, so a hostile file cannot exhaust memory. */
export interface PackageLimits {
  maxManifestBytes: number;
  maxChunks: number;
  maxFiles: number;
  maxPayloadBytes: number;
}

/** Generous defaults: 32 MiB of manifest, 1M chunks or files, 256 GiB of payload. */
export const DEFAULT_PACKAGE_LIMITS: PackageLimits = {
  maxManifestBytes: 32 * 1024 * 1024,
  maxChunks: 1_000_000,
  maxFiles: 1_000_000,
  maxPayloadBytes: 256 * 1024 ** 3,
};

/** One verified chunk read from a package file. */
export interface PackageChunk {
  index: number;
  digest: Digest;
  data: Uint8Array;
}

/** A package file whose header has been read and validated; the signature is the caller's to verify. */
export interface PackageReader {
  header: PackageHeader;
  /** Chunks in manifest order, each verified; at the end checks the payload digest and that nothing follows. Iterate once. */
  chunks(): AsyncGenerator<PackageChunk>;
}

/** Encodes the magic, the 4-byte big-endian header length and the canonical header JSON. */
export function encodePackageHeader(header: PackageHeader): Uint8Array {
  const json = Buffer.from(canonicalJson(parseManifestShape(PackageHeader, header)));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  return Buffer.concat([PACKAGE_MAGIC, length, json]);
}

/** Writes a package file atomically: header then payload, checked against the manifest before the file becomes visible. */
export async function writePackageFile(path: string, header: PackageHeader, payload: AsyncIterable<Uint8Array>, signal?: AbortSignal): Promise<void> {
  checkManifestConsistency(header.manifest);
  const expected = header.manifest.payload;
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  await writeFileAtomic(path, tmp, (async function* () {
    yield encodePackageHeader(header);
    const hash = digestStream();
    let size = 0;
    for await (const block of payload) {
      hash.update(block);
      size += block.length;
      yield block;
    }
    if (size !== expected.size || !digestEquals(hash.digest(), expected.digest)) {
      throw new PackageFileError('PACKAGE_FILE_CORRUPT', 'payload does not match its manifest (did the source change while building?)');
    }
  })(), signal);
}

/** Reads and validates a package file's header from a byte stream; chunks follow via `chunks()`. */
export async function openPackageStream(source: AsyncIterable<Uint8Array>, options: { limits?: Partial<PackageLimits>; signal?: AbortSignal } = {}): Promise<PackageReader> {
  const limits = { ...DEFAULT_PACKAGE_LIMITS, ...options.limits };
  const reader = new ByteReader(source, options.signal);
  try {
    const header = await readHeader(reader, limits);
    return { header, chunks: () => readChunks(reader, header.manifest) };
  } catch (err) {
    await reader.close();
    throw err;
  }
}

async function readHeader(reader: ByteReader, limits: PackageLimits): Promise<PackageHeader> {
  const magic = await reader.read(PACKAGE_MAGIC.length);
  if (!PACKAGE_MAGIC.equals(magic)) throw new PackageFileError('PACKAGE_FILE_INVALID', 'not a Homing package file (bad magic)');
  const prefix = await reader.read(4);
  if (prefix.length < 4) throw truncated('header');
  const length = Buffer.from(prefix).readUInt32BE(0);
  if (length > limits.maxManifestBytes) {
    throw new PackageFileError('PACKAGE_FILE_TOO_LARGE', `manifest is ${length} bytes, limit is ${limits.maxManifestBytes}`);
  }
  const json = await reader.read(length);
  if (json.length < length) throw truncated('manifest');
  let raw: unknown;
  try {
    raw = safeJsonParse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch (err) {
    throw new PackageFileError('PACKAGE_FILE_INVALID', `manifest is not valid JSON: ${(err as Error).message}`);
  }
  checkCounts(raw, limits);
  const header = parseManifestShape(PackageHeader, raw);
  checkManifestConsistency(header.manifest);
  if (header.manifest.payload.size > limits.maxPayloadBytes) {
    throw new PackageFileError('PACKAGE_FILE_TOO_LARGE', `payload is ${header.manifest.payload.size} bytes, limit is ${limits.maxPayloadBytes}`);
  }
  return header;
}

// Counted before schema validation so a huge list is refused without building parse results for it.
function checkCounts(raw: unknown, limits: PackageLimits): void {
  const manifest = (raw as { manifest?: { chunks?: unknown; files?: unknown } } | null)?.manifest;
  const count = (v: unknown) => (Array.isArray(v) ? v.length : 0);
  if (count(manifest?.chunks) > limits.maxChunks) {
    throw new PackageFileError('PACKAGE_FILE_TOO_LARGE', `package has ${count(manifest?.chunks)} chunks, limit is ${limits.maxChunks}`);
  }
  if (count(manifest?.files) > limits.maxFiles) {
    throw new PackageFileError('PACKAGE_FILE_TOO_LARGE', `package has ${count(manifest?.files)} files, limit is ${limits.maxFiles}`);
  }
}

async function* readChunks(reader: ByteReader, manifest: Manifest): AsyncGenerator<PackageChunk> {
  try {
    const payload = digestStream();
    for (const [index, chunk] of manifest.chunks.entries()) {
      const data = await reader.read(chunk.size);
      if (data.length < chunk.size) throw truncated(`chunk ${index}`);
      if (!digestEquals(sha256(data), chunk.digest)) {
        throw new PackageFileError('PACKAGE_FILE_CORRUPT', `chunk ${index} does not match its digest ${chunk.digest}`);
      }
      payload.update(data);
      yield { index, digest: chunk.digest, data };
    }
    if (!digestEquals(payload.digest(), manifest.payload.digest)) {
      throw new PackageFileError('PACKAGE_FILE_CORRUPT', 'payload does not match its manifest digest');
    }
    if (!(await reader.atEnd())) throw new PackageFileError('PACKAGE_FILE_INVALID', 'unexpected bytes after the last chunk');
  } finally {
    await reader.close();
  }
}

function truncated(what: string): PackageFileError {
  return new PackageFileError('PACKAGE_FILE_TRUNCATED', `package file ends inside the ${what}`);
}
