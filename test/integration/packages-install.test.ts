import { lstat, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enroll } from '../../agent/enroll.js';
import { defaultManagementDeps } from '../../agent/management/management-deps.js';
import { packageReceiptStore } from '../../agent/management/package-receipts.js';
import { AgentPackageInstaller } from '../../agent/packages/agent-package-installer.js';
import { OriginChunkSource, type ChunkSource } from '../../agent/packages/chunk-source.js';
import { processScriptRunner } from '../../agent/packages/package-scripts.js';
import { runTrigger } from '../../agent/policy/trigger.js';
import type { AgentRuntime } from '../../agent/runtime.js';
import { ManualClock } from '../../shared/clock.js';
import { sha256 } from '../../shared/digest.js';
import { silentLogger } from '../../shared/logger.js';
import { enrollmentToken, startTestCoordinator, type TestCoordinator } from '../helpers/coordinator.js';
import { sampleInventory } from '../helpers/inventory.js';
import { buildTestPackage, fileEntry, upload, workDir, writeCraftedPackage } from '../helpers/packages.js';
import { seededBytes } from '../shared/content/seeded-bytes.js';

const MiB = 1024 * 1024;

describe('packages: build → upload → policy → agent install', () => {
  let t: TestCoordinator;
  let work: string;
  let rt: AgentRuntime;
  let root: string;
  const clock = new ManualClock(Date.now());
  /** Bytes and chunks the agent fetched, reset per run; `failAfter` interrupts a download after that many chunks. */
  const fetched = { bytes: 0, chunks: 0, failAfter: Infinity };
  let policyCount = 0;

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await t.api(method, path, body);
    if (res.status >= 400) throw new Error(`${method} ${path}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  /** Runs one ongoing custom-trigger policy with these package payloads and returns its items. */
  const run = async (payloads: object[]) => {
    const event = `custom:pkg${++policyCount}`;
    await api('POST', '/api/v1/policies', { name: `P${policyCount}`, triggers: [event], frequency: 'ongoing', scope: { computers: [rt.state.computerId] }, payloads });
    Object.assign(fetched, { bytes: 0, chunks: 0 });
    const r = await runTrigger(rt, event);
    return r.policies!.ran[0]!.items;
  };

  beforeAll(async () => {
    t = await startTestCoordinator();
    work = await workDir('homing-pkg-int-');
    root = join(work, 'root');
    const deps = { clock, logger: silentLogger(), collect: async () => sampleInventory('pkg-host') };
    rt = (await enroll({ coordinatorUrls: [t.url], caPem: t.caPem, token: await enrollmentToken(t), stateDir: join(work, 'state'), root }, deps)).runtime;
    const origin = new OriginChunkSource(() => rt.client);
    const counting: ChunkSource = {
      async fetch(chunk, signal) {
        if (fetched.chunks >= fetched.failAfter) throw new Error('network dropped');
        const bytes = await origin.fetch(chunk, signal);
        fetched.bytes += bytes.length;
        fetched.chunks += 1;
        return bytes;
      },
    };
    rt.packages = new AgentPackageInstaller({
      dir: join(work, 'state', 'packages'), root, packagePublicKey: rt.state.packagePublicKey,
      manifests: (id, signal) => rt.client.packageManifest(id, signal), chunks: counting, cacheMaxBytes: 64 * MiB,
      runScript: processScriptRunner(10_000), now: () => clock.now(), logger: silentLogger(),
    });
  });
  afterAll(async () => {
    await rt?.client.close();
    await t?.stop();
    await rm(work, { recursive: true, force: true });
  });

  const data = seededBytes('int-v1', 6 * MiB);
  const tree = (content: Buffer, extra: Record<string, { content: string }> = {}) => ({
    'bin/tool': { content: '#!/bin/sh\necho tool\n', mode: 0o755 },
    'share/data.bin': { content },
    'etc/app.conf': { content: 'secret=1\n', mode: 0o600 },
    ...extra,
  });
  const scripts = { targetPrefix: '/opt/app', preinstall: '#!/bin/sh\necho "pre $1" > "$3/pre-ran"\n', postinstall: '#!/bin/sh\necho "post $2" > "$3/post-ran"\n' };

  it('installs with modes and scripts, reinstall is a no-op, an update moves only changed chunks, rollback is refused, uninstall removes exactly its files', async () => {
    const v1 = await upload(t, await buildTestPackage(work, 'App', '1.0', tree(data, { 'share/old.txt': { content: 'old' } }), scripts));
    const app = join(root, 'opt/app');

    // Interrupted download: verified chunks stay cached and the next run fetches only the rest.
    fetched.failAfter = 2;
    const broken = await run([{ type: 'package', packageId: v1.id }]);
    expect(broken[0]).toMatchObject({ status: 'failed', message: expect.stringContaining('network dropped') });
    await expect(stat(app)).rejects.toThrow();
    const before = fetched.chunks;
    expect(before).toBeGreaterThanOrEqual(2);
    fetched.failAfter = Infinity;
    const [installed] = await run([{ type: 'package', packageId: v1.id }]);
    expect(installed).toMatchObject({ status: 'success', message: expect.stringContaining('installed App 1.0') });
    expect(fetched.chunks).toBe(v1.chunkCount - before);

    expect((await stat(join(app, 'bin/tool'))).mode & 0o7777).toBe(0o755);
    expect((await stat(join(app, 'etc/app.conf'))).mode & 0o7777).toBe(0o600);
    expect(sha256(await readFile(join(app, 'share/data.bin')))).toBe(sha256(data));
    expect(await readFile(join(root, 'pre-ran'), 'utf8')).toBe('pre App\n');
    expect(await readFile(join(root, 'post-ran'), 'utf8')).toBe(`post ${app}\n`);
    expect(await readdir(join(root, '.homing-staging'))).toEqual([]);
    const receipts = await (rt.packages as AgentPackageInstaller).list();
    expect(receipts).toMatchObject([{ name: 'App', version: '1.0', revision: 1, state: 'installed', installDir: app }]);
    expect(receipts[0]!.files.find((f) => f.path === 'share/data.bin')!.digest).toMatch(/^sha256:/);

    const [again] = await run([{ type: 'package', packageId: v1.id }]);
    expect(again).toMatchObject({ status: 'success', message: expect.stringContaining('already installed') });
    expect(fetched.bytes).toBe(0);

    // v2 changes 64 KiB of one file and drops another: only the chunks around the change move.
    const changed = Buffer.from(data);
    seededBytes('int-patch', 64 * 1024).copy(changed, 3 * MiB);
    const v2 = await upload(t, await buildTestPackage(work, 'App', '2.0', tree(changed), scripts));
    await writeFile(join(app, 'share/user-file'), 'keep me');
    const [updated] = await run([{ type: 'package', packageId: v2.id }]);
    expect(updated).toMatchObject({ status: 'success' });
    // Exactly the chunks v1 did not have: what the origin counted as new at upload.
    expect(fetched.bytes).toBe(v2.bytesNew);
    expect(fetched.bytes).toBeLessThan(v2.size);
    expect(sha256(await readFile(join(app, 'share/data.bin')))).toBe(sha256(changed));
    await expect(stat(join(app, 'share/old.txt'))).rejects.toThrow();

    // Rollback to revision 1 is refused and leaves v2 in place.
    const [rollback] = await run([{ type: 'package', packageId: v1.id }]);
    expect(rollback).toMatchObject({ status: 'failed', message: expect.stringContaining('older than the installed revision 2') });
    expect(sha256(await readFile(join(app, 'share/data.bin')))).toBe(sha256(changed));

    const [removed] = await run([{ type: 'package', packageId: v2.id, action: 'uninstall' }]);
    expect(removed).toMatchObject({ status: 'success', message: expect.stringContaining('removed App 2.0') });
    expect(await readdir(app, { recursive: true })).toEqual(['share', 'share/user-file']);
    expect(await (rt.packages as AgentPackageInstaller).list()).toEqual([]);
  });

  it('caches, then installs the cached copy without fetching', async () => {
    const p = await upload(t, await buildTestPackage(work, 'Cached', '1.0', { 'c.txt': { content: 'cached' } }, { targetPrefix: '/opt/cached' }));
    const [cached] = await run([{ type: 'package', packageId: p.id, action: 'cache' }]);
    expect(cached).toMatchObject({ status: 'success', message: expect.stringContaining('cached Cached 1.0') });
    await expect(stat(join(root, 'opt/cached'))).rejects.toThrow();
    const [installed] = await run([{ type: 'package', packageId: p.id, action: 'install-cached' }]);
    expect(installed).toMatchObject({ status: 'success' });
    expect(fetched.bytes).toBe(0);
    expect(await readFile(join(root, 'opt/cached/c.txt'), 'utf8')).toBe('cached');
  });

  it('repairs a deleted and a changed file from the receipt through a maintenance payload', async () => {
    const installer = rt.packages as AgentPackageInstaller;
    rt.management = defaultManagementDeps({ receipts: packageReceiptStore(installer, (id, signal) => installer.reinstall(id, signal)) });
    const p = await upload(t, await buildTestPackage(work, 'Repairable', '1.0', {
      'bin/run': { content: '#!/bin/sh\necho run\n', mode: 0o755 }, 'conf/app.conf': { content: 'mode=strict\n' },
    }, { targetPrefix: '/opt/repairable' }));
    expect((await run([{ type: 'package', packageId: p.id, action: 'install' }]))[0]).toMatchObject({ status: 'success' });
    await rm(join(root, 'opt/repairable/bin/run'));
    await writeFile(join(root, 'opt/repairable/conf/app.conf'), 'mode=lax\n');
    const [verify] = await run([{ type: 'maintenance', tasks: ['verify-receipts'] }]);
    expect(verify!.status).toBe('failed');
    expect(verify!.output + verify!.message).toContain('bin/run');
    const [repair] = await run([{ type: 'maintenance', tasks: ['repair-receipts'] }]);
    expect(repair).toMatchObject({ status: 'success' });
    expect(fetched.bytes).toBe(0);
    expect(await readFile(join(root, 'opt/repairable/conf/app.conf'), 'utf8')).toBe('mode=strict\n');
    expect((await stat(join(root, 'opt/repairable/bin/run'))).mode & 0o777).toBe(0o755);
    const [clean] = await run([{ type: 'maintenance', tasks: ['verify-receipts'] }]);
    expect(clean).toMatchObject({ status: 'success' });
  });

  it('refuses hostile archives and a tampered origin chunk with nothing written outside staging', async () => {
    const x = Buffer.from('payload');
    const outside = join(work, 'outside');
    await mkdir(outside);
    const crafted = async (label: string, files: Parameters<typeof writeCraftedPackage>[2], entries: Parameters<typeof writeCraftedPackage>[3]) => {
      const file = join(work, `${label}.pkg`);
      await writeCraftedPackage(file, `Evil ${label}`, files, entries);
      return (await upload(t, file)).id;
    };
    const ids = [
      await crafted('dotdot', [fileEntry('x', x)], [{ header: { name: '../x', size: x.length, mode: 0o644 }, body: x }]),
      await crafted('absolute', [fileEntry('x', x)], [{ header: { name: `${outside}/x`, size: x.length, mode: 0o644 }, body: x }]),
      await crafted('drive', [fileEntry('x', x)], [{ header: { name: 'C:../x', size: x.length, mode: 0o644 }, body: x }]),
      await crafted('hardlink', [fileEntry('x', x)], [{ header: { name: 'x', type: 'link', linkname: `${outside}/y`, mode: 0o644 } }]),
      await crafted('symlink-escape', [{ path: 'l', type: 'symlink', target: 'd', mode: 0o777, uid: 0, gid: 0 }],
        [{ header: { name: 'l', type: 'symlink', linkname: outside, mode: 0o777 } }]),
      await crafted('through-link', [{ path: 'l', type: 'symlink', target: 'd', mode: 0o777, uid: 0, gid: 0 }, fileEntry('m', x)],
        [{ header: { name: 'l', type: 'symlink', linkname: 'd', mode: 0o777 } }, { header: { name: 'l/m', size: x.length, mode: 0o644 }, body: x }]),
      await crafted('device', [fileEntry('x', Buffer.alloc(0))], [{ header: { name: 'x', type: 'character-device', mode: 0o644 } }]),
    ];
    const before = await readdir(root);
    const items = await run(ids.map((id) => ({ type: 'package', packageId: id })));
    for (const item of items) expect(item).toMatchObject({ status: 'failed', message: expect.stringMatching(/archive refused/) });
    expect(await readdir(root)).toEqual(before);
    expect(await readdir(join(root, '.homing-staging'))).toEqual([]);
    expect(await readdir(outside)).toEqual([]);
    expect(await readdir(work)).not.toContain('x');

    // A chunk changed on the origin's disk never reaches the install.
    const p = await upload(t, await buildTestPackage(work, 'Tampered', '1.0', { 't.bin': { content: seededBytes('tamper', MiB) } }, { targetPrefix: '/opt/tampered' }));
    const digest = (await t.api('GET', `/api/v1/packages/${p.id}`)).body.manifest.manifest.chunks[0].digest.slice(7);
    const chunkFile = join(t.dataDir, 'chunks', digest.slice(0, 2), digest.slice(2, 4), digest);
    const bytes = await readFile(chunkFile);
    bytes[100]! ^= 1;
    await writeFile(chunkFile, bytes);
    const [tampered] = await run([{ type: 'package', packageId: p.id }]);
    expect(tampered).toMatchObject({ status: 'failed' });
    await expect(lstat(join(root, 'opt/tampered'))).rejects.toThrow();
  });
});
