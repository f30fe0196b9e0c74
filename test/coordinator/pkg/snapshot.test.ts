import { execFileSync } from 'node:child_process';
import { chmod, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { snapshotFinish, snapshotStart } from '../../../coordinator/pkg/snapshot.js';
import { tempDir, writeSampleTree } from '../../shared/content/tree-fixture.js';
import { readPackage } from './package-contents.js';

describe('snapshot start/finish', () => {
  let dir: string;
  let root: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    root = join(dir, 'root');
    await writeSampleTree(root, new Date('2022-01-01'));
  });
  afterEach(() => cleanup());

  const finish = (extra: { stateFile?: string; outFile?: string } = {}) => snapshotFinish({
    root, stateFile: join(dir, 'state.json'), name: 'Tool', version: '2.0', outFile: join(dir, 'tool.hpkg'), ...extra,
  });

  it('packages new and changed entries with their parents and reports deletions', async () => {
    expect(await snapshotStart({ root, stateFile: join(dir, 'state.json') })).toBe(8);
    // The "installation":
    await writeFile(join(root, 'App/bin/tool'), '#!/bin/sh\necho v2\n');
    await chmod(join(root, 'App/share/empty'), 0o644);
    await rm(join(root, 'App/share/doc/README'));
    await mkdir(join(root, 'App/lib/plugins'), { recursive: true });
    await writeFile(join(root, 'App/lib/plugins/p.so'), 'plugin');
    execFileSync('mkfifo', [join(root, 'App/fifo')]);
    await symlink('/etc/passwd', join(root, 'App/passwd'));

    const report = await finish();
    expect(report.added.sort()).toEqual(['App/fifo', 'App/lib', 'App/lib/plugins', 'App/lib/plugins/p.so', 'App/passwd']);
    expect(report.changed.sort()).toEqual(['App/bin/tool', 'App/share/empty']);
    expect(report.deleted).toEqual(['App/share/doc/README']);
    expect(report.skipped.map((s) => s.path).sort()).toEqual(['App/fifo', 'App/passwd']);
    expect(report.manifest.targetPrefix).toBe(root);
    expect(report.manifest.files.map((f) => f.path)).toEqual([
      'App', 'App/bin', 'App/bin/tool', 'App/lib', 'App/lib/plugins', 'App/lib/plugins/p.so', 'App/share', 'App/share/empty',
    ]);
    const { entries } = await readPackage(join(dir, 'tool.hpkg'));
    expect(entries.get('App/bin/tool')?.body).toBe('#!/bin/sh\necho v2\n');
    expect(entries.get('App/share/empty')?.mode).toBe(0o644);
    expect(entries.has('App/share/doc/README')).toBe(false);
  });

  it('ignores its own state and output files inside the root', async () => {
    const stateFile = join(root, 'state.json');
    await snapshotStart({ root, stateFile });
    await writeFile(join(root, 'App/new'), 'n');
    const report = await finish({ stateFile, outFile: join(root, 'out.hpkg') });
    expect(report.added).toEqual(['App/new']);
  });

  it('refuses to build an empty package', async () => {
    await snapshotStart({ root, stateFile: join(dir, 'state.json') });
    await expect(finish()).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('honours excludes', async () => {
    await snapshotStart({ root, stateFile: join(dir, 'state.json'), exclude: ['App/share'] });
    await writeFile(join(root, 'App/share/cache'), 'c');
    await expect(finish()).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('refuses a state file taken of another root or missing', async () => {
    await snapshotStart({ root: join(root, 'App'), stateFile: join(dir, 'state.json') });
    await expect(finish()).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(finish({ stateFile: join(dir, 'missing.json') })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
