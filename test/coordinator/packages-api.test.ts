import { readFile, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyManifest } from '../../shared/content/manifest.js';
import { createPublicKey } from 'node:crypto';
import { startTestCoordinator, type TestCoordinator } from '../helpers/coordinator.js';
import { enrollDevice } from '../helpers/device.js';
import { buildTestPackage, upload, workDir } from '../helpers/packages.js';
import { seededBytes } from '../shared/content/seeded-bytes.js';

const MiB = 1024 * 1024;

describe('package upload and origin', () => {
  let t: TestCoordinator;
  let work: string;
  const big = seededBytes('app-v1', 8 * MiB);

  beforeAll(async () => {
    t = await startTestCoordinator({ config: { maxPackageBytes: 10 * MiB, maxPackageEntries: 200 } });
    work = await workDir('homing-pkg-api-');
  });
  afterAll(async () => {
    await t?.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('stores a package once, signs it with a fresh revision, and a 1% change adds only the changed chunks', async () => {
    const v1 = await upload(t, await buildTestPackage(work, 'App', '1.0', { 'app/data.bin': { content: big }, 'app/run': { content: '#!/bin/sh\n', mode: 0o755 } }));
    expect(v1).toMatchObject({ name: 'App', version: '1.0', revision: 1 });
    expect(v1.bytesNew).toBe(v1.size);
    expect(v1.chunkCount).toBeGreaterThan(5);

    const changed = Buffer.from(big);
    seededBytes('patch', 80 * 1024).copy(changed, 4 * MiB);
    const v2 = await upload(t, await buildTestPackage(work, 'App', '1.1', { 'app/data.bin': { content: changed }, 'app/run': { content: '#!/bin/sh\n', mode: 0o755 } }));
    expect(v2.revision).toBe(2);
    // Bytes new are exactly the chunks v1 did not have, and only a few chunks changed.
    const chunksOf = async (id: number) => (await t.api('GET', `/api/v1/packages/${id}`)).body.manifest.manifest.chunks as { digest: string; size: number }[];
    const [c1, c2] = [await chunksOf(v1.id), await chunksOf(v2.id)];
    const fresh = c2.filter((c) => !c1.some((o) => o.digest === c.digest));
    expect(v2.bytesNew).toBe(fresh.reduce((sum, c) => sum + c.size, 0));
    expect(fresh.length).toBeLessThanOrEqual(3);
    expect(v2.bytesNew).toBeLessThan(v2.size);

    const list = (await t.api('GET', '/api/v1/packages')).body;
    expect(list.total).toBe(2);
    expect(list.items[1]).toMatchObject({ id: v2.id, name: 'App', version: '1.1', revision: 2, digest: v2.digest, size: v2.size, chunkCount: v2.chunkCount, bytesNew: v2.bytesNew });
    const detail = (await t.api('GET', `/api/v1/packages/${v2.id}`)).body;
    expect(verifyManifest(detail.manifest, createPublicKey(t.coordinator.keys.packagePublicPem))).toMatchObject({ name: 'App', revision: 2 });
    expect(((await t.api('GET', '/api/v1/openapi.json')).body.paths['/api/v1/packages'].post.requestBody.content)).toHaveProperty(['application/vnd.homing.package']);

    // Deleting v1 keeps the chunks v2 shares and removes the rest.
    const before = await t.coordinator.originStore.stats();
    expect((await t.api('DELETE', `/api/v1/packages/${v1.id}`)).status).toBe(204);
    const after = await t.coordinator.originStore.stats();
    expect(before.bytes - after.bytes).toBe(v1.size - (v2.size - v2.bytesNew));
    for (const c of detail.manifest.manifest.chunks) expect(await t.coordinator.originStore.has(c.digest)).toBe(true);
    // Revisions are never reused, even after a delete.
    const again = await upload(t, await buildTestPackage(work, 'App', '1.0', { 'app/run': { content: 'x' } }));
    expect(again.revision).toBe(3);
  });

  it('refuses corrupt, truncated, oversize and too-many-entries uploads and keeps none of their chunks', async () => {
    const good = await readFile(await buildTestPackage(work, 'Corrupt', '1.0', { 'a.bin': { content: seededBytes('corrupt', 3 * MiB) } }));
    const stats = await t.coordinator.originStore.stats();
    const total = (await t.api('GET', '/api/v1/packages')).body.total;
    const send = (body: Buffer) => t.api('POST', '/api/v1/packages', undefined, { rawBody: body as unknown as string, contentType: 'application/vnd.homing.package' });

    const flipped = Buffer.from(good);
    flipped[flipped.length - 1000]! ^= 1;
    const corrupt = await send(flipped);
    expect(corrupt.status).toBe(422);
    expect(corrupt.body.error.code).toBe('PACKAGE_FILE_CORRUPT');
    expect((await send(good.subarray(0, good.length - 10))).body.error.code).toBe('PACKAGE_FILE_TRUNCATED');

    const oversize = await buildTestPackage(work, 'Huge', '1.0', { 'h.bin': { content: seededBytes('huge', 11 * MiB) } });
    await expect(upload(t, oversize)).rejects.toMatchObject({ code: 'PACKAGE_FILE_TOO_LARGE' });
    const many = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`f/${i}`, { content: String(i) }]));
    await expect(upload(t, await buildTestPackage(work, 'Many', '1.0', many))).rejects.toMatchObject({ code: 'PACKAGE_FILE_TOO_LARGE' });

    expect(await t.coordinator.originStore.stats()).toEqual(stats);
    expect((await t.api('GET', '/api/v1/packages')).body.total).toBe(total);
    // Only admins upload.
    expect((await t.api('POST', '/api/v1/packages', undefined, { token: null, rawBody: 'x', contentType: 'application/vnd.homing.package' })).status).toBe(401);
  });

  it('serves signed manifests and immutable chunks (with Range) to devices only', async () => {
    const file = await buildTestPackage(work, 'Served', '2.0', { 'x.bin': { content: seededBytes('served', 2 * MiB) } });
    const p = await upload(t, file);
    const device = await enrollDevice(t);
    const tls = { cert: device.cert, key: device.key };
    const manifest = (await t.api('GET', `/device/v1/packages/${p.id}/manifest`, undefined, { token: null, tls })).body;
    expect(manifest.manifest).toMatchObject({ name: 'Served', revision: 1 });
    const chunk = manifest.manifest.chunks[0];
    const whole = await t.api('GET', `/device/v1/chunks/${chunk.digest}`, undefined, { token: null, tls });
    expect(whole.status).toBe(200);
    expect(whole.headers['cache-control']).toContain('immutable');
    expect(Number(whole.headers['content-length'])).toBe(chunk.size);
    const part = await t.api('GET', `/device/v1/chunks/${chunk.digest}`, undefined, { token: null, tls, headers: { range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 10-19/*');
    expect(Number(part.headers['content-length'])).toBe(10);
    expect((await t.api('GET', `/device/v1/chunks/${chunk.digest}`, undefined, { token: null })).status).toBe(401);
    expect((await t.api('GET', `/device/v1/chunks/sha256:${'0'.repeat(64)}`, undefined, { token: null, tls })).status).toBe(404);
  });
});
