import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWho } from '../../../agent/management/console-user.js';
import { checkDeletablePath } from '../../../agent/management/path-safety.js';

describe('delete safety rules', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'homing-safety-'));
    await mkdir(join(root, 'allowed/dir'), { recursive: true });
    await writeFile(join(root, 'allowed/dir/file'), 'x');
    await symlink('/etc', join(root, 'allowed/etc-link'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const refused = (path: string, roots: string[], why: RegExp) => expect(checkDeletablePath(path, roots)).rejects.toThrow(why);

  it('refuses the root, system directories, their parents, relative paths, "..", the roots themselves and paths outside them', async () => {
    const roots = [join(root, 'allowed'), '/usr/local', '/var/tmp'];
    await refused('/', roots, /root directory/);
    await refused('/etc/passwd', [...roots, '/etc'], /protected system directory/);
    await refused('/var', ['/'], /protected system directory/);
    await refused('/usr', ['/'], /protected system directory/);
    await refused('relative/path', roots, /not an absolute path/);
    await refused(`${root}/allowed/../outside`, roots, /contains "\.\."/);
    await refused(join(root, 'allowed'), roots, /allowed root itself/);
    await refused(join(root, 'elsewhere'), roots, /outside the allowed roots/);
    await refused(join(root, 'allowed/missing'), roots, /does not exist/);
  });

  it('refuses a path reached through a symlinked parent but deletes a symlink itself', async () => {
    const roots = [join(root, 'allowed')];
    await refused(join(root, 'allowed/etc-link/passwd'), roots, /parent directory is a symbolic link/);
    expect(await checkDeletablePath(join(root, 'allowed/etc-link'), roots)).toBe(join(root, 'allowed/etc-link'));
    expect(await checkDeletablePath(`${join(root, 'allowed/dir')}//`, roots)).toBe(join(root, 'allowed/dir'));
  });
});

describe('logged-in users', () => {
  it('lists console sessions first, each user once', () => {
    const who = 'bob      pts/0        2026-01-01 09:00 (10.0.0.5)\nalice    :0           2026-01-01 08:00 (:0)\nbob      pts/1        2026-01-01 09:05\n';
    expect(parseWho(who)).toEqual(['alice', 'bob']);
    expect(parseWho('')).toEqual([]);
  });
});
