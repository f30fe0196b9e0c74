import { createPublicKey, randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyManifest } from '../../shared/content/manifest.js';
import { startTestCoordinator, type TestCoordinator } from '../helpers/coordinator.js';
import { agentGet, createNode, enrollDevice, eventually, startNodeProcess, type NodeProcess } from '../helpers/mesh.js';
import { buildTestPackage, upload, workDir } from '../helpers/packages.js';

describe('uploaded packages reach nodes through policy scope', () => {
  let t: TestCoordinator;
  let work: string;
  let node: NodeProcess | undefined;

  beforeAll(async () => {
    t = await startTestCoordinator({ config: { nodeHeartbeatSeconds: 2 } });
    work = await workDir('homing-mesh-pkg-');
  });
  afterAll(async () => {
    await node?.stop('SIGKILL');
    await t?.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('pre-stages a package an enabled policy installs and serves its signed manifest and chunks to agents', async () => {
    const { token } = await createNode(t, 'building-p');
    node = await startNodeProcess(t, { ip: '127.0.0.51', dataDir: join(work, 'node'), token });
    const pkg = await upload(t, await buildTestPackage(work, 'Mesh App', '1.0', { 'bin/app': { content: randomBytes(3 * 1024 * 1024), mode: 0o755 } }));
    const policy = await t.api('POST', '/api/v1/policies', {
      name: 'Install Mesh App', enabled: true, triggers: ['checkin'], frequency: 'ongoing',
      scope: { all: true, computers: [], groups: [], segments: [], exclusions: { computers: [], groups: [], segments: [] } },
      payloads: [{ type: 'package', packageId: pkg.id, action: 'install' }],
    });
    expect(policy.status).toBe(201);

    const device = await enrollDevice(t);
    const res = await eventually(async () => {
      const r = await agentGet(`${node!.httpUrl}/v1/manifests/${pkg.id}`, t.caPem, device);
      return r.status === 200 ? r : undefined;
    }, 30_000, 'the manifest on the node');
    expect(res.headers['cache-control']).toBe('no-cache');
    const manifest = verifyManifest(JSON.parse(res.body.toString()), createPublicKey(t.coordinator.keys.packagePublicPem));
    for (const c of manifest.chunks) {
      const chunk = await eventually(async () => {
        const r = await agentGet(`${node!.httpUrl}/v1/chunks/${c.digest}`, t.caPem, device);
        return r.status === 200 ? r : undefined;
      }, 30_000, `chunk ${c.digest}`);
      expect(chunk.body.length).toBe(c.size);
      expect(chunk.headers.etag).toBe(`"${c.digest}"`);
    }
  }, 120_000);
});
