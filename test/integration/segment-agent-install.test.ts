import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enroll } from '../../agent/enroll.js';
import { createAgentPackageInstaller } from '../../agent/packages/create-installer.js';
import { runTrigger } from '../../agent/policy/trigger.js';
import type { AgentRuntime } from '../../agent/runtime.js';
import { ManualClock } from '../../shared/clock.js';
import { silentLogger } from '../../shared/logger.js';
import { enrollmentToken, startTestCoordinator, type TestCoordinator } from '../helpers/coordinator.js';
import { sampleInventory } from '../helpers/inventory.js';
import { buildTestPackage, upload, workDir } from '../helpers/packages.js';
import { eventually } from '../helpers/mesh.js';

// The real agent installer over its bundle's chain: a segment without nodes falls through to the origin,
// scope by segment reaches the device, and the bytes are reported by source.
describe('agent installs over the distribution chain of its segment', () => {
  let t: TestCoordinator;
  let work: string;
  let rt: AgentRuntime;

  beforeAll(async () => {
    t = await startTestCoordinator();
    work = await workDir('homing-seg-agent-');
  });
  afterAll(async () => {
    await rt?.client.close();
    await t?.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('installs a package scoped to its segment from the origin and reports the bytes as origin traffic', async () => {
    const segment = (await t.api('POST', '/api/v1/segments', { name: 'D', range: '127.4.0.0/16' })).body;
    const deps = { clock: new ManualClock(Date.now()), logger: silentLogger(), collect: async () => sampleInventory('seg-host') };
    const root = join(work, 'root');
    rt = (await enroll({ coordinatorUrls: [t.url], caPem: t.caPem, token: await enrollmentToken(t), stateDir: join(work, 'state'), root, localAddress: '127.4.0.9' }, deps)).runtime;
    rt.packages = createAgentPackageInstaller(rt);
    const pkg = await upload(t, await buildTestPackage(work, 'Seg App', '1.0', { 'bin/app': { content: 'x'.repeat(600_000), mode: 0o755 } }, { targetPrefix: '/opt/seg' }));
    const policy = await t.api('POST', '/api/v1/policies', {
      name: 'Seg install', triggers: ['custom:seg'], frequency: 'ongoing', scope: { segments: [segment.id] }, payloads: [{ type: 'package', packageId: pkg.id }],
    });
    expect(policy.status).toBe(201);
    const result = await runTrigger(rt, 'custom:seg');
    expect(rt.state.bundle?.distribution.map((s) => s.tier)).toEqual(['origin']);
    expect(result.policies!.ran[0]!.items[0]).toMatchObject({ status: 'success' });
    expect(await readFile(join(root, 'opt/seg/bin/app'), 'utf8')).toHaveLength(600_000);
    const traffic = await eventually(async () => {
      const body = (await t.api('GET', `/api/v1/segments/${segment.id}/traffic`)).body;
      return body.totalBytes > 0 ? body : undefined;
    }, 10_000, 'the download report');
    expect(traffic.sources).toEqual([{ tier: 'origin', nodeId: null, bytes: traffic.totalBytes }]);
    expect(traffic.inSegmentShare).toBe(0);
  });
});
