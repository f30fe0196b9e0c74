import { realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { pack as tarPack, type Header, type Pack } from 'tar-stream';
import { digestStream } from '../digest.js';
import { TreeError } from './errors.js';
import { MAX_OWNER_ID, type ManifestFile } from './manifest.js';
import { resolveLinkInTree } from './safe-path.js';
import { comparePathBytes, describeEntry, readFileBlocks, scanTree, type TreeEntry } from './tree-scan.js';

/** Owner and mode recorded for one path instead of the defaults (uid/gid 0, no names, source mode without setuid/setgid). */
export interface PathOverride {
  mode?: number;
  uid?: number;
  gid?: number;
  uname?: string;
  gname?: string;
}

/** What `packTree` packs and how. */
export interface PackOptions {
  /** Per tree-relative path overrides; every key must name a packed entry. */
  overrides?: Readonly<Record<string, PathOverride>>;
  /** Pack only these tree-relative paths (snapshots); default every entry. */
  select?: ReadonlySet<string>;
  signal?: AbortSignal;
}

/** A deterministic tar of a tree, produced lazily. */
export interface PackedTree {
  /** Tar bytes; iterate it once. */
  stream: AsyncIterable<Uint8Array>;
  /** Tar size estimate for progress display. */
  estimatedSize: number;
  /** Manifest file list in tar order; complete once `stream` has been fully consumed. */
  files(): ManifestFile[];
}

const TYPE_BITS = { file: 0o100000, directory: 0o040000, symlink: 0o120000 } as const;
const EPOCH = new Date(0);

/** Packs `root` into a deterministic tar (sorted, mtime 0, fixed owners); refuses devices, sockets, FIFOs and links leaving the root. */
export async function packTree(root: string, options: PackOptions = {}): Promise<PackedTree> {
  const entries = options.select ? await describeSelected(root, options.select, options.signal) : await scanTree(root, { signal: options.signal });
  await checkPackable(root, entries);
  const files = entries.map((e) => toManifestFile(e, options.overrides?.[e.path]));
  const packed = new Set(entries.map((e) => e.path));
  const unknown = Object.keys(options.overrides ?? {}).filter((p) => !packed.has(p));
  if (unknown.length > 0) throw new TreeError('TREE_INVALID', unknown[0]!, `override for a path that is not packed: ${unknown.join(', ')}`);
  let complete = false;
  const stream = (async function* () {
    yield* tarStream(root, files, options.signal);
    complete = true;
  })();
  return {
    stream,
    estimatedSize: files.reduce((sum, f) => sum + 512 + (f.type === 'file' ? Math.ceil(f.size / 512) * 512 : 0), 1024),
    files() {
      if (!complete) throw new Error('file list is complete only after the tar stream was fully read');
      return files;
    },
  };
}

async function describeSelected(root: string, select: ReadonlySet<string>, signal?: AbortSignal): Promise<TreeEntry[]> {
  const entries: TreeEntry[] = [];
  for (const path of [...select].sort(comparePathBytes)) {
    signal?.throwIfAborted();
    entries.push(await describeEntry(root, path));
  }
  return entries;
}

async function checkPackable(root: string, entries: TreeEntry[]): Promise<void> {
  const realRoot = await realpath(root);
  for (const e of entries) {
    if (e.type === 'other') {
      throw new TreeError('TREE_UNSUPPORTED_ENTRY', e.path, `${e.path} is a device file, socket or FIFO; packages hold only directories, files and symlinks`);
    }
    if (e.type !== 'symlink') continue;
    const escapes = () => new TreeError('TREE_LINK_ESCAPES', e.path, `symlink ${e.path} -> ${e.target} points outside the package root`);
    if (resolveLinkInTree(e.path, e.target!) === undefined) throw escapes();
    // Lexically inside is not enough when the target passes through another link; resolve what exists.
    const real = await realpath(join(root, e.path)).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return realRoot;
      throw escapes();
    });
    if (real !== realRoot && !real.startsWith(realRoot + sep)) throw escapes();
  }
}

function toManifestFile(e: TreeEntry, o: PathOverride = {}): ManifestFile {
  if (o.mode !== undefined && !(Number.isInteger(o.mode) && o.mode >= 0 && o.mode <= 0o7777)) {
    throw new TreeError('TREE_INVALID', e.path, `mode override for ${e.path} must be between 0 and 07777`);
  }
  for (const id of [o.uid, o.gid]) {
    if (id !== undefined && !(Number.isInteger(id) && id >= 0 && id <= MAX_OWNER_ID)) {
      throw new TreeError('TREE_INVALID', e.path, `owner override for ${e.path} must be between 0 and ${MAX_OWNER_ID}`);
    }
  }
  const base = {
    path: e.path,
    // Setuid/setgid bits must be asked for explicitly; symlink modes differ by OS and mean nothing.
    mode: o.mode ?? (e.type === 'symlink' ? 0o777 : e.mode & 0o1777),
    uid: o.uid ?? 0,
    gid: o.gid ?? 0,
    ...(o.uname === undefined ? {} : { uname: o.uname }),
    ...(o.gname === undefined ? {} : { gname: o.gname }),
  };
  if (e.type === 'directory') return { ...base, type: 'directory' };
  if (e.type === 'symlink') return { ...base, type: 'symlink', target: e.target! };
  // The digest is filled in while the file is streamed into the tar.
  return { ...base, type: 'file', size: e.size, digest: 'sha256:' };
}

async function* tarStream(root: string, files: ManifestFile[], signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  const pack = tarPack();
  const feeding = feed(pack, root, files, signal).then(() => pack.finalize(), (err: unknown) => { pack.destroy(err as Error); });
  try {
    for await (const block of pack) yield block as Uint8Array;
  } finally {
    if (!pack.destroyed) pack.destroy(new Error('tar stream closed before its end'));
    await feeding;
  }
}

async function feed(pack: Pack, root: string, files: ManifestFile[], signal?: AbortSignal): Promise<void> {
  for (const f of files) {
    signal?.throwIfAborted();
    const header: Partial<Header> & Pick<Header, 'name'> = {
      name: f.path,
      type: f.type,
      // tar-stream replaces a zero mode with its default, so keep the type bits it masks off anyway.
      mode: f.mode | TYPE_BITS[f.type],
      uid: f.uid,
      gid: f.gid,
      uname: f.uname ?? '',
      gname: f.gname ?? '',
      mtime: EPOCH,
    };
    if (f.type === 'symlink') header.linkname = f.target;
    if (f.type !== 'file') {
      await writeEntry(pack, header);
      continue;
    }
    header.size = f.size;
    const hash = digestStream();
    await writeEntry(pack, header, (async function* () {
      for await (const block of readFileBlocks(root, f.path, f.size, signal)) {
        hash.update(block);
        yield block;
      }
    })());
    f.digest = hash.digest();
  }
}

function writeEntry(pack: Pack, header: Partial<Header> & Pick<Header, 'name'>, body?: AsyncIterable<Uint8Array>): Promise<void> {
  return new Promise((resolve, reject) => {
    const sink = pack.entry(header, (err) => (err ? reject(err) : resolve()));
    // The entry callback reports failures; without a listener streamx would rethrow them as uncaught.
    sink.on('error', () => {});
    if (!body) return;
    (async () => {
      for await (const block of body) {
        if (!sink.write(block)) await drainedOrClosed(sink);
        if (sink.destroyed) return;
      }
      sink.end(null);
    })().catch((err: Error) => sink.destroy(err));
  });
}

/** Waits until a writable drains or closes, removing both listeners either way (they would pile up per block). */
function drainedOrClosed(sink: NodeJS.WritableStream & { once: NodeJS.EventEmitter['once']; off: NodeJS.EventEmitter['off'] }): Promise<void> {
  return new Promise((resolve) => {
    const done = () => { sink.off('drain', done); sink.off('close', done); resolve(); };
    sink.once('drain', done);
    sink.once('close', done);
  });
}
