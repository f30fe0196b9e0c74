import { chmod, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temp directory and a cleanup function. */
export async function tempDir(prefix = 'homing-content-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes a small sample app tree (dirs, files with various modes, an inside symlink) under `root`, stamping `mtime`. */
export async function writeSampleTree(root: string, mtime: Date): Promise<void> {
  await mkdir(join(root, 'App/bin'), { recursive: true });
  await mkdir(join(root, 'App/share/doc'), { recursive: true });
  await writeFile(join(root, 'App/bin/tool'), '#!/bin/sh\necho hi\n');
  await chmod(join(root, 'App/bin/tool'), 0o755);
  await writeFile(join(root, 'App/share/doc/README'), 'hello\n'.repeat(1000));
  await writeFile(join(root, 'App/share/empty'), '');
  await chmod(join(root, 'App/share/empty'), 0o600);
  await symlink('../share/doc/README', join(root, 'App/bin/readme'));
  for (const p of ['App/bin/tool', 'App/share/doc/README', 'App/share/empty', 'App/bin', 'App/share/doc', 'App/share', 'App']) {
    await utimes(join(root, p), mtime, mtime);
  }
}
