import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildPackage } from '../../coordinator/pkg/build.js';

/** Builds the demo's sample package ("Homing Hello" 1.0, installs under /opt/homing-hello) in `workDir`; returns the package file. */
export async function buildDemoPackage(workDir: string): Promise<string> {
  const src = join(workDir, 'homing-hello');
  await mkdir(join(src, 'bin'), { recursive: true });
  await writeFile(join(src, 'bin', 'homing-hello'), '#!/bin/sh\necho "Hello from a package Homing delivered through your building\'s node."\n');
  await chmod(join(src, 'bin', 'homing-hello'), 0o755);
  await writeFile(join(src, 'README.txt'), 'Installed by the Homing demo: built with `homing pkg build`, uploaded, replicated to every node, installed by a policy.\n');
  const outFile = join(workDir, 'homing-hello-1.0.pkg');
  await buildPackage({ srcDir: src, name: 'Homing Hello', version: '1.0', targetPrefix: '/opt/homing-hello', outFile });
  return outFile;
}
