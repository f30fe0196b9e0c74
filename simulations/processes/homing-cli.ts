import { fileURLToPath } from 'node:url';

/** How to start this install's `homing` CLI as a child process: `command [...nodeArgs, script, ...]` in `cwd`. */
export interface HomingCli { command: string; nodeArgs: string[]; script: string; cwd: string; fromSource: boolean; args: string[] }

/**
 * The `homing` CLI of this install: `dist/bin/homing.js` under node when running the build, or
 * `bin/homing.ts` through tsx when running from source (tests, `npx tsx`). `cwd` is the root the
 * `--import tsx` hook resolves from; `args` is `[...nodeArgs, script]`.
 */
export function homingCli(): HomingCli {
  const fromSource = import.meta.url.endsWith('.ts');
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const nodeArgs = fromSource ? ['--import', 'tsx'] : [];
  const script = `${root}bin/homing.${fromSource ? 'ts' : 'js'}`;
  return { command: process.execPath, nodeArgs, script, cwd: root, fromSource, args: [...nodeArgs, script] };
}
