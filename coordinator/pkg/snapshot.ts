import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { ValidationError } from '../../shared/errors.js';
import { safeJsonParse } from '../../shared/json.js';
import { z } from '../../shared/schemas/zod.js';
import { writeFileAtomic } from '../../shared/fs/atomic-write.js';
import type { Manifest } from '../../shared/content/manifest.js';
import { DigestSchema } from '../../shared/content/manifest.js';
import { resolveLinkInTree } from '../../shared/content/safe-path.js';
import { scanTree, type TreeEntry } from '../../shared/content/tree-scan.js';
import { buildPackage, type BuildOptions } from './build.js';

const TreeEntrySchema = z.strictObject({
  path: z.string().min(1),
  type: z.enum(['file', 'directory', 'symlink', 'other']),
  mode: z.number().int().min(0).max(0o7777),
  size: z.number().int().min(0),
  digest: DigestSchema.optional(),
  target: z.string().optional(),
});

/** What `snapshot start` records: the watched root and every entry under it. */
const SnapshotState = z.strictObject({
  schema: z.literal(1),
  root: z.string().min(1),
  exclude: z.array(z.string()),
  entries: z.array(TreeEntrySchema),
});
type SnapshotState = z.infer<typeof SnapshotState>;

/** Inputs of `snapshotStart`. */
export interface SnapshotStartOptions {
  root: string;
  stateFile: string;
  /** Root-relative paths to ignore (caches, logs). */
  exclude?: readonly string[];
  signal?: AbortSignal;
}

/** Inputs of `snapshotFinish`: the recorded state plus everything `buildPackage` takes except the source selection. */
export type SnapshotFinishOptions = Omit<BuildOptions, 'srcDir' | 'select' | 'targetPrefix'> & {
  root: string;
  stateFile: string;
  /** Where the package installs; default the snapshot root itself. */
  targetPrefix?: string;
};

/** What changed between `snapshot start` and `snapshot finish`, and the package built from it. */
export interface SnapshotReport {
  manifest: Manifest;
  added: string[];
  changed: string[];
  /** Gone since the start; listed only, packages never delete. */
  deleted: string[];
  /** New or changed entries left out of the package, with why. */
  skipped: { path: string; reason: string }[];
}

/** Records the tree under `root` (paths, types, modes, sizes, file digests) into `stateFile`; returns the entry count. */
export async function snapshotStart(options: SnapshotStartOptions): Promise<number> {
  const root = resolve(options.root);
  const exclude = excludingFile(root, options.stateFile, options.exclude ?? []);
  const entries = await scanTree(root, { hash: true, exclude, signal: options.signal });
  const state: SnapshotState = { schema: 1, root, exclude, entries };
  const stateFile = resolve(options.stateFile);
  const tmp = join(dirname(stateFile), `.${basename(stateFile)}.${randomBytes(6).toString('hex')}.tmp`);
  await writeFileAtomic(stateFile, tmp, Buffer.from(JSON.stringify(state)), options.signal);
  return entries.length;
}

/** Rescans the root, diffs it against the recorded state and packages new and changed entries (with their parent directories). */
export async function snapshotFinish(options: SnapshotFinishOptions): Promise<SnapshotReport> {
  const root = resolve(options.root);
  const state = await readState(options.stateFile);
  if (state.root !== root) throw new ValidationError(`snapshot state ${options.stateFile} was taken of ${state.root}, not ${root}`);
  const exclude = excludingFile(root, options.outFile, state.exclude);
  const after = await scanTree(root, { hash: true, exclude, signal: options.signal });
  const before = new Map(state.entries.map((e) => [e.path, e]));
  const afterPaths = new Set(after.map((e) => e.path));
  const report: Omit<SnapshotReport, 'manifest'> = { added: [], changed: [], deleted: [], skipped: [] };
  const select = new Set<string>();
  for (const entry of after) {
    const old = before.get(entry.path);
    if (old && sameEntry(old, entry)) continue;
    (old ? report.changed : report.added).push(entry.path);
    const reason = unpackable(entry);
    if (reason) report.skipped.push({ path: entry.path, reason });
    else select.add(entry.path);
  }
  report.deleted = state.entries.filter((e) => !afterPaths.has(e.path)).map((e) => e.path);
  if (select.size === 0) throw new ValidationError(`nothing to package: no new or changed entries under ${root} since the snapshot started`);
  // Parent directories travel along so new ones get created with their recorded modes.
  for (const path of select) {
    for (let i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) select.add(path.slice(0, i));
  }
  const { root: _root, stateFile: _state, targetPrefix, ...build } = options;
  const manifest = await buildPackage({ ...build, srcDir: root, select, targetPrefix: targetPrefix ?? root });
  return { manifest, ...report };
}

async function readState(stateFile: string): Promise<SnapshotState> {
  const text = await readFile(stateFile, 'utf8').catch(() => {
    throw new ValidationError(`cannot read snapshot state ${stateFile}; run "homing pkg snapshot start" first`);
  });
  const parsed = SnapshotState.safeParse(safeJsonParse(text));
  if (!parsed.success) throw new ValidationError(`snapshot state ${stateFile} is not valid: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

// The state and output files may live inside the watched root; they are not part of the installation.
function excludingFile(root: string, file: string, exclude: readonly string[]): string[] {
  const rel = relative(root, resolve(file)).split(sep).join('/');
  const inside = rel !== '' && !rel.startsWith('../') && rel !== '..' && !rel.startsWith('/');
  return inside && !exclude.includes(rel) ? [...exclude, rel] : [...exclude];
}

function sameEntry(a: TreeEntry, b: TreeEntry): boolean {
  return a.type === b.type && a.mode === b.mode && a.size === b.size && a.digest === b.digest && a.target === b.target;
}

function unpackable(e: TreeEntry): string | undefined {
  if (e.type === 'other') return 'device file, socket or FIFO';
  if (e.type === 'symlink' && resolveLinkInTree(e.path, e.target!) === undefined) return `symlink to ${e.target} points outside the root`;
  return undefined;
}
