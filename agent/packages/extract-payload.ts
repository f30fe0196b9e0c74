import { constants } from 'node:fs';
import { chmod, lchown, mkdir, open, statfs, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { extract, type Header } from 'tar-stream';
import type { Manifest, ManifestFile } from '../../shared/content/manifest.js';
import { isSafeRelativePath, resolveLinkInTree } from '../../shared/content/safe-path.js';
import { digestEquals, digestStream } from '../../shared/digest.js';
import { PackageInstallError } from './errors.js';
import { ensureRealDirs } from './real-dirs.js';

/** Caps on what one archive may unpack to. */
export interface ExtractLimits { maxEntries: number; maxBytes: number; maxDepth: number }

/** Defaults: 500,000 entries (a coordinator's 32 MiB manifest holds fewer), 64 GiB, 64 path components. */
export const DEFAULT_EXTRACT_LIMITS: ExtractLimits = { maxEntries: 500_000, maxBytes: 64 * 1024 ** 3, maxDepth: 64 };

/** Bytes of free space an install must leave on the root's filesystem. */
const FREE_SPACE_MARGIN = 64 * 1024 * 1024;

/**
 * Checks what the signed manifest says the payload unpacks to — entries, file bytes, depth — against the caps and the
 * free space under `root`, before anything is downloaded or written. Chunks repeat freely in a manifest, so a few
 * unique bytes can stand for a huge payload (a dedup bomb); it is refused here rather than part-way through staging.
 */
export async function checkExtractable(manifest: Manifest, root: string, limits: ExtractLimits = DEFAULT_EXTRACT_LIMITS): Promise<void> {
  if (manifest.files.length > limits.maxEntries) throw tooLarge(`${manifest.name} has ${manifest.files.length} entries, limit ${limits.maxEntries}`);
  const bytes = manifest.files.reduce((n, f) => n + (f.type === 'file' ? f.size : 0), 0);
  if (bytes > limits.maxBytes) throw tooLarge(`${manifest.name} unpacks to ${bytes} bytes, limit ${limits.maxBytes}`);
  const deep = manifest.files.find((f) => f.path.split('/').length > limits.maxDepth);
  if (deep) throw tooLarge(`${deep.path} is deeper than ${limits.maxDepth} levels`);
  const free = await freeBytes(root);
  if (bytes + FREE_SPACE_MARGIN > free) throw tooLarge(`${manifest.name} unpacks to ${bytes} bytes, but only ${free} bytes are free under ${root}`);
}

/**
 * Unpacks the payload tar into the empty `staging` dir, entry by entry exactly as the signed manifest lists them
 * (same order, path, type, mode, size, digest, link target). Refuses absolute paths, `..`, backslashes, drive
 * prefixes, hard links, devices, FIFOs, links leaving the root, writes through links, and archives past the caps.
 * Owners are applied only when running as root. Throws PackageInstallError; the caller removes `staging`.
 */
export async function extractPayload(payload: AsyncIterable<Uint8Array>, manifest: Manifest, staging: string, limits: ExtractLimits = DEFAULT_EXTRACT_LIMITS, signal?: AbortSignal): Promise<void> {
  if (manifest.files.length > limits.maxEntries) throw tooLarge(`${manifest.files.length} entries, limit ${limits.maxEntries}`);
  const source = Readable.from(payload);
  const ex = extract();
  source.on('error', (err) => ex.destroy(err));
  source.pipe(ex);
  let index = 0;
  let bytes = 0;
  try {
    for await (const entry of ex) {
      signal?.throwIfAborted();
      const expected = manifest.files[index];
      const name = checkEntry(entry.header, expected, index, limits);
      if (expected!.type === 'file') {
        bytes += expected!.size;
        if (bytes > limits.maxBytes) throw tooLarge(`more than ${limits.maxBytes} bytes`);
      }
      await writeEntry(staging, name, expected!, entry as AsyncIterable<Uint8Array>);
      index += 1;
    }
    if (index !== manifest.files.length) throw mismatch(`archive holds ${index} entries, the manifest lists ${manifest.files.length}`);
    // Directory modes last, deepest first, so a read-only directory does not block its own entries.
    for (const f of [...manifest.files].reverse()) if (f.type === 'directory') await chmod(join(staging, f.path), f.mode);
  } finally {
    source.destroy();
    ex.destroy();
  }
}

// The root may not exist before the first install: the nearest existing ancestor is on the same filesystem.
async function freeBytes(path: string): Promise<number> {
  for (let p = path; ; p = dirname(p)) {
    const fs = await statfs(p).catch(() => undefined);
    if (fs) return fs.bavail * fs.bsize;
    if (dirname(p) === p) return Infinity;
  }
}

function checkEntry(h: Header, expected: ManifestFile | undefined, index: number, limits: ExtractLimits): string {
  const raw = h.name;
  const name = h.type === 'directory' ? raw.replace(/\/$/, '') : raw;
  if (!isSafeRelativePath(name)) throw unsafe(`unsafe path ${JSON.stringify(raw)} (absolute, "..", backslash or drive prefix)`);
  if (name.split('/').length > limits.maxDepth) throw tooLarge(`${name} is deeper than ${limits.maxDepth} levels`);
  if (h.type !== 'file' && h.type !== 'directory' && h.type !== 'symlink') throw unsafe(`${name} is a ${h.type ?? 'unknown entry'}; packages hold only files, directories and symlinks`);
  if (h.type === 'symlink' && resolveLinkInTree(name, h.linkname ?? '') === undefined) throw unsafe(`link ${name} -> ${h.linkname} leaves the package root`);
  if (!expected) throw mismatch(`archive entry ${index} (${name}) is not in the manifest`);
  const problems = [
    expected.path !== name && `path ${name}, manifest says ${expected.path}`,
    expected.type !== h.type && `type ${h.type}, manifest says ${expected.type}`,
    ((h.mode ?? 0) & 0o7777) !== expected.mode && `mode ${((h.mode ?? 0) & 0o7777).toString(8)}, manifest says ${expected.mode.toString(8)}`,
    expected.type === 'file' && h.size !== expected.size && `size ${h.size}, manifest says ${expected.size}`,
    expected.type === 'symlink' && h.linkname !== expected.target && `link target ${h.linkname}, manifest says ${expected.target}`,
  ].filter(Boolean);
  if (problems.length) throw mismatch(`archive entry ${index} does not match the manifest: ${problems.join('; ')}`);
  return name;
}

async function writeEntry(staging: string, name: string, f: ManifestFile, body: AsyncIterable<Uint8Array>): Promise<void> {
  // Parents must be real directories inside staging, never links.
  await ensureRealDirs(staging, name.split('/').slice(0, -1), (m) => unsafe(`${name} would be written through a link or file: ${m}`));
  const path = join(staging, name);
  if (f.type === 'directory') {
    await mkdir(path, { mode: 0o700 });
  } else if (f.type === 'symlink') {
    await symlink(f.target, path);
  } else {
    // O_EXCL + O_NOFOLLOW: never write through something already there.
    const fh = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    const hash = digestStream();
    try {
      for await (const block of body) {
        hash.update(block);
        for (let done = 0; done < block.length;) done += (await fh.write(block, done, block.length - done)).bytesWritten;
      }
      await fh.chmod(f.mode);
    } finally {
      await fh.close();
    }
    if (!digestEquals(hash.digest(), f.digest)) throw mismatch(`${name} does not match its digest in the manifest`);
  }
  for await (const _ of body) { /* drain what a non-file entry carries */ }
  if (process.getuid?.() === 0) await lchown(path, f.uid, f.gid);
}

const unsafe = (m: string) => new PackageInstallError('ARCHIVE_UNSAFE', `archive refused: ${m}`);
const mismatch = (m: string) => new PackageInstallError('ARCHIVE_MISMATCH', `archive refused: ${m}`);
const tooLarge = (m: string) => new PackageInstallError('ARCHIVE_TOO_LARGE', `archive refused: ${m}`);
