import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCoordinator, type TestCoordinator } from '../helpers/coordinator.js';
import { joinNode } from '../helpers/node-join.js';
import { buildTestPackage, upload, workDir } from '../helpers/packages.js';

describe('GET /api/v1/nodes/:id/packages', () => {
  let t: TestCoordinator;
  let work: string;
  beforeAll(async () => { t = await startTestCoordinator(); work = await workDir('homing-node-pkgs-'); });
  afterAll(async () => { await t?.stop(); await rm(work, { recursive: true, force: true }); });

  it('lists what a node should hold: pinned packages and packages of enabled policies, with how many nodes share each', async () => {
    const [a, b] = [await joinNode(t, 'node-a', '127.0.70.1'), await joinNode(t, 'node-b', '127.0.70.2')];
    expect((await t.api('GET', `/api/v1/nodes/${a.id}/packages`)).body).toEqual({ items: [], total: 0 });
    const pinned = await upload(t, await buildTestPackage(work, 'Pinned', '1.0', { 'p/readme': { content: 'pinned' } }));
    const staged = await upload(t, await buildTestPackage(work, 'Staged', '2.0', { 's/readme': { content: 'staged' } }));
    expect((await t.api('POST', `/api/v1/nodes/${a.id}/pins`, { packageId: pinned.id })).status).toBe(201);
    const policy = await t.api('POST', '/api/v1/policies', {
      name: 'Install staged', triggers: ['checkin'], scope: { all: true },
      payloads: [{ type: 'package', packageId: staged.id }],
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);

    const held = await t.api('GET', `/api/v1/nodes/${a.id}/packages`);
    expect(held.status).toBe(200);
    expect(held.body.items).toEqual([
      { packageId: pinned.id, name: 'Pinned', version: '1.0', revision: 1, size: pinned.size, pinned: true, holders: 1 },
      { packageId: staged.id, name: 'Staged', version: '2.0', revision: 1, size: staged.size, pinned: false, holders: 2 },
    ]);
    expect((await t.api('GET', `/api/v1/nodes/${b.id}/packages`)).body.items.map((p: { name: string }) => p.name)).toEqual(['Staged']);
    expect((await t.api('GET', '/api/v1/nodes/999/packages')).status).toBe(404);
  });
});
