import { randomBytes } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { buildPackage } from '../../coordinator/pkg/build.js';

/**
 * Builds a package file of `bytes` random bytes (incompressible, unique chunks) with the real builder;
 * the source tree and the package file live in `workDir`.
 */
export async function buildRandomPackage(workDir: string, name: string, bytes: number): Promise<string> {
  const src = join(workDir, 'payload');
  await mkdir(join(src, 'data'), { recursive: true });
  const fh = await open(join(src, 'data', 'payload.bin'), 'wx', 0o644);
  try {
    for (let left = bytes; left > 0; left -= 1024 * 1024) await fh.write(randomBytes(Math.min(left, 1024 * 1024)));
  } finally {
    await fh.close();
  }
  const outFile = join(workDir, 'rollout.pkg');
  await buildPackage({ srcDir: src, name, version: '1.0', targetPrefix: '/opt/homing-rollout', outFile });
  return outFile;
}
