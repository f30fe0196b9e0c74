import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, realpath, rm, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { ValidationError } from '../../shared/errors.js';
import type { z } from '../../shared/schemas/zod.js';
import { packTree, type PathOverride } from '../../shared/content/deterministic-tar.js';
import { HashWorkers } from '../../shared/content/hash-workers.js';
import { PackageName, PackageVersion, type Manifest } from '../../shared/content/manifest.js';
import { writePackageFile } from '../../shared/content/package-file.js';
import { isSafeTargetPrefix } from '../../shared/content/safe-path.js';
import { chunkPayload, type ChunkedPayload } from './chunk-payload.js';

/** Bytes of payload built so far against the estimated total. */
export interface BuildProgress {
  bytes: number;
  totalBytes: number;
}

/** Inputs of `buildPackage`. */
export interface BuildOptions {
  srcDir: string;
  name: string;
  version: string;
  preinstallFile?: string;
  postinstallFile?: string;
  /** Absolute directory the tree installs under; default `/`. */
  targetPrefix?: string;
  /** Per tree-relative path owner/mode overrides. */
  overrides?: Readonly<Record<string, PathOverride>>;
  /** Package only these tree-relative paths (snapshots). */
  select?: ReadonlySet<string>;
  outFile: string;
  onProgress?: (progress: BuildProgress) => void;
  signal?: AbortSignal;
}

const MAX_SCRIPT_BYTES = 1024 * 1024;

/**
 * Builds a single-file package (unsigned manifest, revision 0) from a directory tree. The same input gives a
 * byte-identical file; on any error nothing is left at `outFile`.
 */
export async function buildPackage(options: BuildOptions): Promise<Manifest> {
  const name = checked(PackageName, options.name, 'package name');
  const version = checked(PackageVersion, options.version, 'version (e.g. 1.2.3)');
  const targetPrefix = options.targetPrefix ?? '/';
  if (!isSafeTargetPrefix(targetPrefix)) throw new ValidationError(`target prefix must be a normalized absolute path, got ${JSON.stringify(targetPrefix)}`);
  const preinstall = options.preinstallFile === undefined ? undefined : await readScript(options.preinstallFile);
  const postinstall = options.postinstallFile === undefined ? undefined : await readScript(options.postinstallFile);
  // A snapshot packages a chosen list, so its output may live inside the watched root.
  if (!options.select) await checkOutputOutside(options.srcDir, options.outFile);

  const packed = await packTree(options.srcDir, { overrides: options.overrides, select: options.select, signal: options.signal });
  const spool = join(dirname(options.outFile), `.${basename(options.outFile)}.${randomBytes(6).toString('hex')}.payload`);
  // Hashing runs on worker threads while this thread reads the tree, cuts chunks and writes the spool.
  const workers = new HashWorkers();
  try {
    let cut: ChunkedPayload;
    const fh = await open(spool, 'wx', 0o600);
    try {
      cut = await chunkPayload(packed.stream, workers, async (chunk) => {
        await fh.write(chunk.data);
        options.onProgress?.({ bytes: chunk.offset + chunk.length, totalBytes: Math.max(chunk.offset + chunk.length, packed.estimatedSize) });
      }, options.signal);
    } finally {
      await fh.close();
    }
    const { chunks, payload } = cut;
    const manifest: Manifest = {
      schema: 1,
      name,
      version,
      revision: 0,
      targetPrefix,
      payload,
      files: packed.files(),
      ...(preinstall === undefined ? {} : { preinstall }),
      ...(postinstall === undefined ? {} : { postinstall }),
      chunks,
    };
    await writePackageFile(options.outFile, { manifest }, createReadStream(spool, { highWaterMark: 1024 * 1024 }), options.signal);
    return manifest;
  } finally {
    await Promise.all([rm(spool, { force: true }), workers.close()]);
  }
}

function checked<T>(schema: z.ZodType<T>, value: string, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(`invalid ${what}: ${JSON.stringify(value)}`);
  return result.data;
}

async function readScript(file: string): Promise<string> {
  const st = await stat(file).catch(() => undefined);
  if (!st?.isFile()) throw new ValidationError(`script ${file} is not a readable file`);
  if (st.size === 0 || st.size > MAX_SCRIPT_BYTES) throw new ValidationError(`script ${file} must hold 1 byte to ${MAX_SCRIPT_BYTES} bytes`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(await readFile(file));
  } catch {
    throw new ValidationError(`script ${file} is not UTF-8 text`);
  }
}

async function checkOutputOutside(srcDir: string, outFile: string): Promise<void> {
  const [src, outDir] = await Promise.all([realpath(srcDir), realpath(dirname(outFile))].map((p) => p.catch(() => undefined)));
  if (!src || !outDir) return;
  const rel = relative(src, outDir);
  // Writing into the tree being packaged would make the next build differ.
  if (rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))) throw new ValidationError(`output file ${outFile} must not be inside ${srcDir}`);
}
