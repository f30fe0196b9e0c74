import { lstat, mkdir, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';

/**
 * Makes `rel`'s components under `base` real directories, creating missing ones (mode 0755). A component that is a
 * file, or a link whose target lies outside `allowLinksInside` (no links at all when omitted), throws via `refuse`.
 */
export async function ensureRealDirs(base: string, rel: string[], refuse: (message: string) => Error, allowLinksInside?: string): Promise<void> {
  let dir = base;
  for (const part of rel) {
    dir = join(dir, part);
    const st = await lstat(dir).catch((err: NodeJS.ErrnoException) => { if (err.code === 'ENOENT') return undefined; throw err; });
    if (!st) {
      await mkdir(dir, { mode: 0o755 });
    } else if (st.isSymbolicLink() && allowLinksInside !== undefined) {
      const real = await realpath(dir).catch(() => undefined);
      if (!real || (real !== allowLinksInside && !real.startsWith(allowLinksInside === sep ? sep : allowLinksInside + sep))) throw refuse(`${dir} is a link leading outside ${allowLinksInside}`);
      if (!(await lstat(real)).isDirectory()) throw refuse(`${dir} is not a directory`);
    } else if (!st.isDirectory()) {
      throw refuse(`${dir} is ${st.isSymbolicLink() ? 'a link' : 'not a directory'}`);
    }
  }
}
