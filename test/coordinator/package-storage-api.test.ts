import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCoordinator, type TestCoordinator } from '../helpers/coordinator.js';
import { buildTestPackage, upload, workDir } from '../helpers/packages.js';
import { seededBytes } from '../shared/content/seeded-bytes.js';

describe('GET /api/v1/packages/storage', () => {
  let t: TestCoordinator;
  let work: string;
  beforeAll(async () => { t = await startTestCoordinator(); work = await workDir('homing-pkg-storage-'); });
  afterAll(async () => { await t?.stop(); await rm(work, { recursive: true, force: true }); });

  it('adds up payload bytes of every package against the chunk bytes the origin keeps once', async () => {
    expect((await t.api('GET', '/api/v1/packages/storage')).body).toEqual({ packages: 0, logicalBytes: 0, storedBytes: 0, storedChunks: 0 });
    const data = seededBytes('storage-v1', 2 * 1024 * 1024);
    const v1 = await upload(t, await buildTestPackage(work, 'Tool', '1.0', { 'tool/data.bin': { content: data } }));
    const changed = Buffer.from(data);
    seededBytes('storage-patch', 16 * 1024).copy(changed, 1024 * 1024);
    const v2 = await upload(t, await buildTestPackage(work, 'Tool', '1.1', { 'tool/data.bin': { content: changed } }));

    const both = (await t.api('GET', '/api/v1/packages/storage')).body;
    expect(both).toMatchObject({ packages: 2, logicalBytes: v1.size + v2.size, storedBytes: v1.bytesNew + v2.bytesNew });
    expect(both.storedBytes).toBeLessThan(both.logicalBytes);
    expect(both.storedChunks).toBeGreaterThan(v1.chunkCount);

    // Deleting v1 drops the chunks only it held.
    expect((await t.api('DELETE', `/api/v1/packages/${v1.id}`)).status).toBe(204);
    expect((await t.api('GET', '/api/v1/packages/storage')).body).toEqual({ packages: 1, logicalBytes: v2.size, storedBytes: v2.size, storedChunks: v2.chunkCount });
  });
});
