import { generateKeyPairSync } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chunkStream } from '../../../shared/content/fastcdc.js';
import { signManifest, verifyManifest, type Manifest } from '../../../shared/content/manifest.js';
import { encodePackageHeader, openPackageStream, writePackageFile, type PackageLimits } from '../../../shared/content/package-file.js';
import { digestStream } from '../../../shared/digest.js';
import { blocksOf, seededBytes } from './seeded-bytes.js';
import { tempDir } from './tree-fixture.js';

const payload = seededBytes('package-file', 100_000);

async function manifestFor(data: Uint8Array): Promise<Manifest> {
  const chunks: Manifest['chunks'] = [];
  const hash = digestStream();
  for await (const c of chunkStream(blocksOf(data, 8192), { min: 1024, avg: 4096, max: 16384 })) {
    chunks.push({ digest: c.digest, size: c.length });
    hash.update(c.data);
  }
  return {
    schema: 1, name: 'Tool', version: '1.0', revision: 0, targetPrefix: '/opt/tool',
    payload: { digest: hash.digest(), size: data.length }, files: [], chunks,
  };
}

async function readAll(bytes: Uint8Array, limits?: Partial<PackageLimits>) {
  const reader = await openPackageStream(blocksOf(bytes, 3000), { limits });
  const parts: Uint8Array[] = [];
  for await (const c of reader.chunks()) parts.push(c.data);
  return { header: reader.header, payload: Buffer.concat(parts) };
}

describe('package file', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let manifest: Manifest;
  let file: Buffer;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    manifest = await manifestFor(payload);
    await writePackageFile(join(dir, 'p.hpkg'), { manifest }, blocksOf(payload, 10_000));
    file = await readFile(join(dir, 'p.hpkg'));
  });
  afterEach(() => cleanup());

  it('round-trips the manifest and payload, verifying as it streams', async () => {
    expect(manifest.chunks.length).toBeGreaterThan(5);
    const { header, payload: read } = await readAll(file);
    expect(header).toEqual({ manifest });
    expect(read.equals(payload)).toBe(true);
  });

  it('carries a signed manifest', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const signed = signManifest(manifest, privateKey);
    await writePackageFile(join(dir, 's.hpkg'), signed, blocksOf(payload, 10_000));
    const { header } = await readAll(await readFile(join(dir, 's.hpkg')));
    expect(verifyManifest(header, publicKey)).toEqual(manifest);
  });

  it('rejects a corrupted chunk', async () => {
    const bad = Buffer.from(file);
    bad[bad.length - 5000]! ^= 0xff;
    await expect(readAll(bad)).rejects.toMatchObject({ code: 'PACKAGE_FILE_CORRUPT' });
  });

  it('rejects a truncated file', async () => {
    await expect(readAll(file.subarray(0, file.length - 1))).rejects.toMatchObject({ code: 'PACKAGE_FILE_TRUNCATED' });
    await expect(readAll(file.subarray(0, 13))).rejects.toMatchObject({ code: 'PACKAGE_FILE_TRUNCATED' });
  });

  it('rejects trailing bytes and a bad magic', async () => {
    await expect(readAll(Buffer.concat([file, Buffer.from('x')]))).rejects.toMatchObject({ code: 'PACKAGE_FILE_INVALID' });
    await expect(readAll(Buffer.from('PK\x03\x04 not a package'))).rejects.toMatchObject({ code: 'PACKAGE_FILE_INVALID' });
  });

  it('rejects an oversized manifest before reading it', async () => {
    const header = Buffer.from(file.subarray(0, 15));
    header.writeUInt32BE(0xffffffff, 11);
    let pulled = 0;
    const source = (async function* () { pulled += 1; yield header; pulled += 1; yield Buffer.alloc(1 << 20); })();
    await expect(openPackageStream(source)).rejects.toMatchObject({ code: 'PACKAGE_FILE_TOO_LARGE' });
    expect(pulled).toBe(1);
    await expect(readAll(file, { maxManifestBytes: 100 })).rejects.toMatchObject({ code: 'PACKAGE_FILE_TOO_LARGE' });
  });

  it('enforces chunk, file and payload limits', async () => {
    await expect(readAll(file, { maxChunks: 2 })).rejects.toMatchObject({ code: 'PACKAGE_FILE_TOO_LARGE' });
    await expect(readAll(file, { maxPayloadBytes: 1000 })).rejects.toMatchObject({ code: 'PACKAGE_FILE_TOO_LARGE' });
  });

  it('rejects a manifest whose chunks do not add up', async () => {
    const lying = { manifest: { ...manifest, payload: { ...manifest.payload, size: manifest.payload.size + 1 } } };
    const bytes = Buffer.concat([encodePackageHeader(lying), payload]);
    await expect(readAll(bytes)).rejects.toMatchObject({ code: 'MANIFEST_INCONSISTENT' });
  });

  it('rejects reordered chunks', async () => {
    const [a, b, ...rest] = manifest.chunks;
    const swapped = { manifest: { ...manifest, chunks: [b!, a!, ...rest] } };
    const bytes = Buffer.concat([encodePackageHeader(swapped), payload]);
    await expect(readAll(bytes)).rejects.toMatchObject({ code: 'PACKAGE_FILE_CORRUPT' });
  });

  it('writes nothing when the payload does not match the manifest', async () => {
    const other = Buffer.from(payload);
    other[0]! ^= 1;
    await expect(writePackageFile(join(dir, 'bad.hpkg'), { manifest }, blocksOf(other, 10_000))).rejects.toMatchObject({ code: 'PACKAGE_FILE_CORRUPT' });
    expect((await readdir(dir)).sort()).toEqual(['p.hpkg']);
  });

  it('does not overwrite the target with a half-written file when interrupted', async () => {
    await writeFile(join(dir, 'keep.hpkg'), 'previous');
    const failing = (async function* () { yield payload.subarray(0, 1000); throw new Error('disk gone'); })();
    await expect(writePackageFile(join(dir, 'keep.hpkg'), { manifest }, failing)).rejects.toThrow('disk gone');
    expect(await readFile(join(dir, 'keep.hpkg'), 'utf8')).toBe('previous');
    expect((await readdir(dir)).sort()).toEqual(['keep.hpkg', 'p.hpkg']);
  });
});
