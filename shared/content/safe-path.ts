import { posix } from 'node:path';

const MAX_PATH_BYTES = 4096;
const MAX_COMPONENT_BYTES = 255;
// Control characters and backslashes are legal in POSIX names but break other platforms' tools and log lines.
const FORBIDDEN_CHARS = /[\u0000-\u001f\u007f\\]/;
const DRIVE_PREFIX = /^[A-Za-z]:/;

/** True when `p` is a relative POSIX path that stays inside its root: no `.`/`..`/empty components, no backslash, control character or drive prefix. */
export function isSafeRelativePath(p: string): boolean {
  if (p.length === 0 || Buffer.byteLength(p) > MAX_PATH_BYTES) return false;
  if (p.startsWith('/') || FORBIDDEN_CHARS.test(p) || DRIVE_PREFIX.test(p)) return false;
  return p.split('/').every((c) => c !== '' && c !== '.' && c !== '..' && Buffer.byteLength(c) <= MAX_COMPONENT_BYTES);
}

/** True when `p` is an absolute, normalized POSIX directory path without control characters (a package's install prefix). */
export function isSafeTargetPrefix(p: string): boolean {
  return p.startsWith('/') && !FORBIDDEN_CHARS.test(p) && posix.normalize(p) === p
    && (p === '/' || (!p.endsWith('/') && isSafeRelativePath(p.slice(1))));
}

/**
 * Resolves symlink `target` of the link at tree-relative `linkPath` lexically.
 * Returns the tree-relative path it names ('' for the root), or undefined when it is absolute or leaves the root.
 */
export function resolveLinkInTree(linkPath: string, target: string): string | undefined {
  if (target.length === 0 || target.startsWith('/') || FORBIDDEN_CHARS.test(target)) return undefined;
  const joined = posix.normalize(posix.join(posix.dirname(linkPath), target));
  if (joined === '..' || joined.startsWith('../')) return undefined;
  return joined === '.' ? '' : joined.replace(/\/$/, '');
}
