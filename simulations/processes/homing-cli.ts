import { fileURLToPath } from 'node:url';

/** How to start this install's `homing` CLI as a child process. */
export interface HomingCli { command: string; args: string[]; cwd: string }

/**
 * The `homing` CLI of this install: `dist/bin/homing.js` under node when running the build, or
 * `bin/homing.ts` through tsx when running from source (tests, `npx tsx`). `cwd` is the root the
 * `--import tsx` hook resolves from.
 */
export function homingCli(): HomingCli {
  const fromSource = import.meta.url.endsWith('.ts');
  const root = fileURLToPath(new URL('../..', import.meta.url));
  return fromSource
    ? { command: process.execPath, args: ['--import', 'tsx', `${root}bin/homing.ts`], cwd: root }
    : { command: process.execPath, args: [`${root}bin/homing.js`], cwd: root };
}
