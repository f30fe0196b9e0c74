import { constants } from 'node:fs';
import { lstat, open, readdir, readlink, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { digestStream, type Digest } from '../digest.js';
import { TreeError } from './errors.js';
import { isSafeRelativePath } from './safe-path.js';

/** Kind of a tree entry; `other` covers devices, sockets and FIFOs, which packages never contain. */
export type TreeEntryType = 'file' | 'directory' | 'symlink' | 'other';

/** One entry of a scanned directory tree. */
export interface TreeEntry {
  /** Tree-relative POSIX path, never empty. */
  path: string;
  type: TreeEntryType;
  /** Permission bits (`st_mode & 0o7777`). */
  mode: number;
  /** Byte size for files, 0 otherwise. */
  size: number;
  /** Content digest of files, when the scan hashed them. */
  digest?: Digest;
  /** Link text of symlinks. */
  target?: string;
}

/** What `scanTree` reads and skips. */
export interface ScanOptions {
  /** Hash every regular file (needed for snapshots, not for packing). */
  hash?: boolean;
  /** Tree-relative paths whose entries and subtrees are skipped. */
  exclude?: readonly string[];
  signal?: AbortSignal;
}

const READ_BLOCK = 1024 * 1024;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Compares two paths by their UTF-8 bytes, the order of every deterministic listing. */
export function comparePathBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** Walks `root` with lstat (never following links) and returns its entries sorted by path bytes. */
export async function scanTree(root: string, options: ScanOptions = {}): Promise<TreeEntry[]> {
  const rootStat = await stat(root).catch(() => undefined);
  if (!rootStat?.isDirectory()) throw new TreeError('TREE_INVALID', '', `${root} is not a directory`);
  const exclude = options.exclude ?? [];
  for (const ex of exclude) {
    if (!isSafeRelativePath(ex)) throw new TreeError('TREE_UNSAFE_PATH', ex, `exclude path "${ex}" must be relative to the root`);
  }
  const excluded = (p: string) => exclude.some((ex) => p === ex || p.startsWith(`${ex}/`));
  const entries: TreeEntry[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const raw of await readdir(join(root, rel), { encoding: 'buffer' })) {
      options.signal?.throwIfAborted();
      const path = rel === '' ? decodeName(raw, rel) : `${rel}/${decodeName(raw, rel)}`;
      if (excluded(path)) continue;
      const entry = await describeEntry(root, path, options);
      entries.push(entry);
      if (entry.type === 'directory') await walk(path);
    }
  };
  await walk('');
  return entries.sort((a, b) => comparePathBytes(a.path, b.path));
}

function decodeName(raw: Buffer, dir: string): string {
  try {
    return utf8.decode(raw);
  } catch {
    const shown = `${dir === '' ? '' : `${dir}/`}${raw.toString('latin1')}`;
    throw new TreeError('TREE_UNSAFE_PATH', shown, `file name is not valid UTF-8: ${JSON.stringify(shown)}`);
  }
}

/** Describes one tree-relative path with lstat (hashing files when asked); TREE_CHANGED when it is gone. */
export async function describeEntry(root: string, path: string, options: Pick<ScanOptions, 'hash' | 'signal'> = {}): Promise<TreeEntry> {
  if (!isSafeRelativePath(path)) throw new TreeError('TREE_UNSAFE_PATH', path, `unsafe file name: ${JSON.stringify(path)}`);
  const abs = join(root, path);
  const st = await lstat(abs).catch(() => { throw new TreeError('TREE_CHANGED', path, `${path} is no longer in the tree`); });
  const mode = st.mode & 0o7777;
  if (st.isDirectory()) return { path, type: 'directory', mode, size: 0 };
  if (st.isSymbolicLink()) return { path, type: 'symlink', mode, size: 0, target: await readlink(abs) };
  if (!st.isFile()) return { path, type: 'other', mode, size: 0 };
  const entry: TreeEntry = { path, type: 'file', mode, size: st.size };
  if (options.hash) {
    const h = digestStream();
    for await (const block of readFileBlocks(root, path, st.size, options.signal)) h.update(block);
    entry.digest = h.digest();
  }
  return entry;
}

/** Reads a regular file in blocks without following links, failing with TREE_CHANGED unless it still has `size` bytes. */
export async function* readFileBlocks(root: string, path: string, size: number, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  const changed = () => new TreeError('TREE_CHANGED', path, `${path} changed while it was being read`);
  // O_NONBLOCK so a FIFO swapped in after the scan cannot block the open.
  const flags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
  const fh = await open(join(root, path), flags).catch(() => { throw changed(); });
  try {
    const st = await fh.stat();
    if (!st.isFile() || st.size !== size) throw changed();
    let total = 0;
    for (;;) {
      signal?.throwIfAborted();
      const buf = Buffer.allocUnsafe(Math.min(READ_BLOCK, Math.max(size - total, 0) + 1));
      const { bytesRead } = await fh.read(buf, 0, buf.length, total);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > size) throw changed();
      yield buf.subarray(0, bytesRead);
    }
    if (total !== size) throw changed();
  } finally {
    await fh.close();
  }
}
