import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildPackage, type BuildProgress } from '../../../coordinator/pkg/build.js';
import { parseOverrides } from '../../../coordinator/pkg/cli.js';
import { sha256 } from '../../../shared/digest.js';
import { tempDir, writeSampleTree } from '../../shared/content/tree-fixture.js';
import { readPackage } from './package-contents.js';

describe('buildPackage', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    await mkdir(join(dir, 'out'));
    await writeFile(join(dir, 'pre.sh'), '#!/bin/sh\necho pre\n');
    await writeFile(join(dir, 'post.sh'), '#!/bin/sh\necho post\n');
  });
  afterEach(() => cleanup());

  const options = (srcDir: string, outFile: string) => ({
    srcDir, outFile, name: 'Sample App', version: '1.2.3', targetPrefix: '/Applications',
    preinstallFile: join(dir, 'pre.sh'), postinstallFile: join(dir, 'post.sh'),
    overrides: { 'App/bin/tool': { mode: 0o4755, uid: 0, gid: 80, gname: 'admin' } },
  });

  it('builds byte-identical files from the same tree and reads them back', async () => {
    await writeSampleTree(join(dir, 'a'), new Date('2021-01-01'));
    await writeSampleTree(join(dir, 'b'), new Date('2025-01-01'));
    const progress: BuildProgress[] = [];
    const m1 = await buildPackage({ ...options(join(dir, 'a'), join(dir, 'out/a.hpkg')), onProgress: (p) => progress.push(p) });
    const m2 = await buildPackage(options(join(dir, 'b'), join(dir, 'out/b.hpkg')));
    const [a, b] = await Promise.all([readFile(join(dir, 'out/a.hpkg')), readFile(join(dir, 'out/b.hpkg'))]);
    expect(a.equals(b)).toBe(true);
    expect(m1).toEqual(m2);
    expect(progress.at(-1)?.bytes).toBe(m1.payload.size);

    expect(m1).toMatchObject({ name: 'Sample App', version: '1.2.3', revision: 0, targetPrefix: '/Applications', preinstall: '#!/bin/sh\necho pre\n', postinstall: '#!/bin/sh\necho post\n' });
    expect(m1.files.find((f) => f.path === 'App/bin/tool')).toMatchObject({ mode: 0o4755, gid: 80, gname: 'admin', digest: sha256('#!/bin/sh\necho hi\n') });
    const { header, entries } = await readPackage(join(dir, 'out/a.hpkg'));
    expect(header).toEqual({ manifest: m1 });
    expect(entries.get('App/bin/tool')).toMatchObject({ mode: 0o4755, body: '#!/bin/sh\necho hi\n' });
    expect(entries.get('App/bin/readme')).toMatchObject({ type: 'symlink', linkname: '../share/doc/README' });
  });

  it.each([
    ['a bad version', { version: 'one two' }],
    ['a bad name', { name: 'a/b' }],
    ['a relative target prefix', { targetPrefix: 'opt' }],
    ['a missing script', { preinstallFile: '/nonexistent/pre.sh' }],
  ])('refuses %s with VALIDATION_FAILED and writes nothing', async (_label, change) => {
    await writeSampleTree(join(dir, 'src'), new Date());
    await expect(buildPackage({ ...options(join(dir, 'src'), join(dir, 'out/x.hpkg')), ...change })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect(await readdir(join(dir, 'out'))).toEqual([]);
  });

  it('leaves nothing behind when the tree cannot be packaged', async () => {
    await writeSampleTree(join(dir, 'src'), new Date());
    execFileSync('mkfifo', [join(dir, 'src/App/fifo')]);
    await expect(buildPackage(options(join(dir, 'src'), join(dir, 'out/x.hpkg')))).rejects.toMatchObject({ code: 'TREE_UNSUPPORTED_ENTRY' });
    expect(await readdir(join(dir, 'out'))).toEqual([]);
  });

  it('leaves nothing behind when aborted', async () => {
    await writeSampleTree(join(dir, 'src'), new Date());
    const abort = new AbortController();
    abort.abort(new Error('stop'));
    await expect(buildPackage({ ...options(join(dir, 'src'), join(dir, 'out/x.hpkg')), signal: abort.signal })).rejects.toThrow('stop');
    expect(await readdir(join(dir, 'out'))).toEqual([]);
  });

  it('refuses to write the package inside the source tree', async () => {
    await writeSampleTree(join(dir, 'src'), new Date());
    await expect(buildPackage(options(join(dir, 'src'), join(dir, 'src/App/x.hpkg')))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('parseOverrides', () => {
  it('merges --owner and --mode flags per path', () => {
    expect(parseOverrides(['./bin/tool=0:80:root:admin', 'lib=501:20'], ['bin/tool=4755'])).toEqual({
      'bin/tool': { uid: 0, gid: 80, uname: 'root', gname: 'admin', mode: 0o4755 },
      lib: { uid: 501, gid: 20 },
    });
  });

  it.each([[['x'], []], [['x=root:wheel'], []], [[], ['x=999']], [[], ['=0755']]])('refuses malformed flags %j %j', (owners, modes) => {
    expect(() => parseOverrides(owners, modes)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});
