import { lstat, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, normalize, sep } from 'node:path';
import { AppError } from '../../shared/errors.js';

/** A delete was refused by the safety rules. */
export class UnsafePathError extends AppError {
  constructor(path: string, why: string) { super('UNSAFE_PATH', `refusing to delete ${path}: ${why}`, 400); }
}

// Never deleted whatever the allowed roots say: the system itself and every top-level directory.
const PROTECTED = [
  '/bin', '/boot', '/dev', '/etc', '/lib', '/lib32', '/lib64', '/libx32', '/proc', '/root', '/run', '/sbin', '/sys', '/usr',
  '/var/lib', '/var/log', '/System', '/Library', '/private/etc', '/private/var/db', '/Applications/Utilities', '/Users/Shared',
];

/** Default roots a policy may delete inside (the agent's configuration can narrow or widen them). */
export const DEFAULT_DELETE_ROOTS = ['/tmp', '/var/tmp', '/home', '/Users', '/opt', '/Applications', '/usr/local'];

const within = (path: string, root: string) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

// Inside a protected directory (unless through an allowed root nested in it, like /usr/local), or a parent of one.
function isProtected(target: string, roots: readonly string[]): boolean {
  return PROTECTED.some((p) => within(p, target)
    || (within(target, p) && !roots.some((r) => r !== p && within(r, p) && within(target, r))));
}

/**
 * Checks a path a policy wants deleted and returns it normalized: absolute, no `..`, strictly inside an allowed root,
 * not a protected system directory nor a parent of one, and no symlink among its parents (so `/tmp/link/x` cannot
 * reach `/etc/x`). A symlink as the last component is fine: deleting removes the link, not its target.
 */
export async function checkDeletablePath(path: string, allowedRoots: readonly string[]): Promise<string> {
  if (!isAbsolute(path)) throw new UnsafePathError(path, 'not an absolute path');
  if (path.split('/').includes('..')) throw new UnsafePathError(path, 'contains ".."');
  const target = normalize(path).replace(/\/+$/, '') || '/';
  if (target === '/') throw new UnsafePathError(path, 'it is the root directory');
  const roots = allowedRoots.map((r) => normalize(r).replace(/\/+$/, ''));
  if (roots.includes(target)) throw new UnsafePathError(path, 'it is an allowed root itself');
  if (!roots.some((r) => within(target, r))) throw new UnsafePathError(path, `outside the allowed roots (${roots.join(', ')})`);
  if (isProtected(target, roots)) {
    throw new UnsafePathError(path, 'it is or holds a protected system directory');
  }
  const parent = dirname(target);
  let real: string;
  try { real = await realpath(parent); } catch { throw new UnsafePathError(path, 'its parent directory does not exist'); }
  const realRoots = await Promise.all(roots.map((r) => realpath(r).catch(() => r)));
  const expected = roots.reduce((p, r, i) => (within(p, r) ? realRoots[i]! + p.slice(r.length) : p), parent);
  if (real !== expected) throw new UnsafePathError(path, `a parent directory is a symbolic link (resolves to ${real})`);
  await lstat(target).catch(() => { throw new UnsafePathError(path, 'it does not exist'); });
  return target;
}
