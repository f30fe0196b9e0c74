import { lstat, opendir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ManagementPayload } from '../../../shared/schemas/management-payloads.js';
import { checkDeletablePath } from '../../management/path-safety.js';
import type { ItemOutcome } from '../package-installer.js';
import { succeeded, type ManagementContext } from './management-context.js';

type FileItem = Extract<ManagementPayload, { type: 'file' }>;

const MAX_VISITED = 200_000;
const MAX_FOUND = 100;

/** Search: reports `path` (type, size, modified) or the files named `name` under it; delete: a path the safety rules allow. */
export async function applyFile(item: FileItem, ctx: ManagementContext): Promise<ItemOutcome> {
  if (item.action === 'delete') {
    const target = await checkDeletablePath(item.path, ctx.deps.deleteRoots);
    // rm never follows symlinks: a link is removed, not what it points to.
    await rm(target, { recursive: true, force: false });
    return succeeded(`deleted ${target}`);
  }
  const found = item.name ? await findByName(item.path, item.name, ctx.signal) : [item.path];
  const lines = await Promise.all(found.map(describe));
  const present = lines.filter((l) => !l.endsWith(' missing'));
  const what = item.name ? `${item.name} under ${item.path}` : item.path;
  return succeeded(present.length ? `found ${present.length}: ${what}` : `not found: ${what}`, lines.join('\n'));
}

async function describe(path: string): Promise<string> {
  try {
    const s = await lstat(path);
    const kind = s.isSymbolicLink() ? 'symlink' : s.isDirectory() ? 'directory' : 'file';
    return `${path}\t${kind}\t${s.size} bytes\tmodified ${s.mtime.toISOString()}`;
  } catch {
    return `${path} missing`;
  }
}

// Breadth-first, symlinks not followed, bounded in entries visited and matches reported.
async function findByName(root: string, name: string, signal?: AbortSignal): Promise<string[]> {
  const found: string[] = [];
  const queue = [root];
  let visited = 0;
  while (queue.length && found.length < MAX_FOUND && visited < MAX_VISITED) {
    signal?.throwIfAborted();
    const dir = queue.shift()!;
    let entries;
    try { entries = await opendir(dir); } catch { continue; }
    for await (const e of entries) {
      visited++;
      const path = join(dir, e.name);
      if (e.name === name) found.push(path);
      if (e.isDirectory()) queue.push(path);
    }
  }
  return found;
}
