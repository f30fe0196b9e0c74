import { execFileSync } from 'node:child_process';
import { chmod, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { extract } from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packTree, type PackOptions } from '../../../shared/content/deterministic-tar.js';
import { TreeError } from '../../../shared/content/errors.js';
import { digestStream, sha256 } from '../../../shared/digest.js';
import { tempDir, writeSampleTree } from './tree-fixture.js';

async function tarOf(root: string, options?: PackOptions) {
  const packed = await packTree(root, options);
  const parts: Uint8Array[] = [];
  const hash = digestStream();
  for await (const block of packed.stream) {
    parts.push(block);
    hash.update(block);
  }
  return { bytes: Buffer.concat(parts), digest: hash.digest(), files: packed.files() };
}

async function entriesOf(bytes: Buffer) {
  const ex = extract();
  const out: { name: string; type: string; mode: number; uid: number; gid: number; mtime: number; uname: string; linkname: string | null; body: string }[] = [];
  const done = (async () => {
    for await (const entry of ex) {
      const chunks: Buffer[] = [];
      for await (const c of entry) chunks.push(c as Buffer);
      const h = entry.header;
      out.push({ name: h.name, type: h.type, mode: h.mode, uid: h.uid, gid: h.gid, mtime: h.mtime.getTime(), uname: h.uname, linkname: h.linkname, body: Buffer.concat(chunks).toString() });
    }
  })();
  ex.end(bytes);
  await done;
  return out;
}

async function refusal(root: string): Promise<TreeError> {
  const err = await tarOf(root).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(TreeError);
  return err as TreeError;
}

describe('packTree', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  it('produces the same bytes for the same tree whatever the mtimes', async () => {
    await writeSampleTree(join(dir, 'a'), new Date('2020-01-01'));
    await writeSampleTree(join(dir, 'b'), new Date('2024-06-30'));
    const a = await tarOf(join(dir, 'a'));
    const b = await tarOf(join(dir, 'b'));
    expect(a.digest).toBe(b.digest);
    expect(a.files).toEqual(b.files);
  });

  it('writes sorted entries with mtime 0, root owners, no names and preserved modes', async () => {
    await writeSampleTree(dir, new Date());
    await chmod(join(dir, 'App/bin/tool'), 0o6755);
    const { bytes, files } = await tarOf(dir);
    const entries = await entriesOf(bytes);
    expect(entries.map((e) => e.name)).toEqual(['App', 'App/bin', 'App/bin/readme', 'App/bin/tool', 'App/share', 'App/share/doc', 'App/share/doc/README', 'App/share/empty']);
    expect(entries.every((e) => e.mtime === 0 && e.uid === 0 && e.gid === 0 && e.uname === '')).toBe(true);
    const byName = Object.fromEntries(entries.map((e) => [e.name, e]));
    expect(byName['App/bin/tool']).toMatchObject({ type: 'file', mode: 0o755, body: '#!/bin/sh\necho hi\n' });
    expect(byName['App/share/empty']).toMatchObject({ type: 'file', mode: 0o600, body: '' });
    expect(byName['App/bin/readme']).toMatchObject({ type: 'symlink', linkname: '../share/doc/README' });
    expect(files.find((f) => f.path === 'App/share/doc/README')).toEqual({
      path: 'App/share/doc/README', type: 'file', mode: 0o644, uid: 0, gid: 0, size: 6000, digest: sha256('hello\n'.repeat(1000)),
    });
  });

  it('applies owner and mode overrides, including setuid when asked for', async () => {
    await writeSampleTree(dir, new Date());
    const { bytes, files } = await tarOf(dir, { overrides: { 'App/bin/tool': { mode: 0o4755, uid: 501, gid: 20, uname: 'admin', gname: 'staff' } } });
    const tool = (await entriesOf(bytes)).find((e) => e.name === 'App/bin/tool');
    expect(tool).toMatchObject({ mode: 0o4755, uid: 501, gid: 20, uname: 'admin' });
    expect(files.find((f) => f.path === 'App/bin/tool')).toMatchObject({ mode: 0o4755, uid: 501, gid: 20, uname: 'admin', gname: 'staff' });
  });

  it('packs only selected paths', async () => {
    await writeSampleTree(dir, new Date());
    const { files } = await tarOf(dir, { select: new Set(['App', 'App/bin', 'App/bin/tool']) });
    expect(files.map((f) => f.path)).toEqual(['App', 'App/bin', 'App/bin/tool']);
  });

  it('refuses an override for a path that is not packed', async () => {
    await writeSampleTree(dir, new Date());
    await expect(tarOf(dir, { overrides: { 'App/nope': { mode: 0o700 } } })).rejects.toMatchObject({ code: 'TREE_INVALID' });
  });

  it('refuses FIFOs', async () => {
    await writeSampleTree(dir, new Date());
    execFileSync('mkfifo', [join(dir, 'App/pipe')]);
    const err = await refusal(dir);
    expect(err).toMatchObject({ code: 'TREE_UNSUPPORTED_ENTRY', path: 'App/pipe' });
  });

  it('refuses device files when they can be created (root only)', async (ctx) => {
    try {
      execFileSync('mknod', [join(dir, 'null'), 'c', '1', '3'], { stdio: 'ignore' });
    } catch {
      ctx.skip('mknod needs root');
    }
    expect(await refusal(dir)).toMatchObject({ code: 'TREE_UNSUPPORTED_ENTRY', path: 'null' });
  });

  it.each([
    ['an absolute link', '/etc/passwd'],
    ['a relative link out of the root', '../../outside'],
    ['a link that detours out of the root', '../bin/../../../x'],
  ])('refuses %s', async (_label, target) => {
    await writeSampleTree(dir, new Date());
    await symlink(target, join(dir, 'App/escape'));
    expect(await refusal(dir)).toMatchObject({ code: 'TREE_LINK_ESCAPES', path: 'App/escape' });
  });

  it('refuses a link whose lexically inside target passes through a link leaving the root', async () => {
    const { dir: outside, cleanup: cleanOutside } = await tempDir();
    try {
      await writeSampleTree(dir, new Date());
      await symlink(outside, join(dir, 'out'));
      await writeFile(join(outside, 'secret'), 'x');
      await symlink('out/secret', join(dir, 'via'));
      const err = await refusal(dir);
      expect(err.code).toBe('TREE_LINK_ESCAPES');
    } finally {
      await cleanOutside();
    }
  });

  it('refuses file names with backslashes or control characters', async () => {
    await writeFile(join(dir, 'bad\\name'), 'x');
    expect(await refusal(dir)).toMatchObject({ code: 'TREE_UNSAFE_PATH' });
  });

  it('keeps long and non-ASCII names deterministic', async () => {
    const long = `${'d'.repeat(120)}/${'f'.repeat(150)}-é.txt`;
    for (const root of ['x', 'y']) {
      await writeSampleTree(join(dir, root), new Date(root === 'x' ? 1000 : 2000));
      await import('node:fs/promises').then((fs) => fs.mkdir(join(dir, root, 'd'.repeat(120))));
      await writeFile(join(dir, root, long), 'long');
    }
    const [x, y] = [await tarOf(join(dir, 'x')), await tarOf(join(dir, 'y'))];
    expect(x.digest).toBe(y.digest);
    expect((await entriesOf(x.bytes)).some((e) => e.name === long)).toBe(true);
  });

  it('fails with TREE_CHANGED when a file changes size while packing', async () => {
    await writeSampleTree(dir, new Date());
    const packed = await packTree(dir);
    await writeFile(join(dir, 'App/share/doc/README'), 'short');
    const drain = async () => { for await (const block of packed.stream) void block; };
    await expect(drain()).rejects.toMatchObject({ code: 'TREE_CHANGED' });
  });
});
