import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Flushes a directory's entries (a rename or create inside it) to disk. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Writes `data` to `tmpPath`, fsyncs it, renames it over `finalPath` and fsyncs the directory, so readers see
 * either nothing or the whole file. The temp file is removed on any failure, including errors thrown by `data`.
 */
export async function writeFileAtomic(
  finalPath: string, tmpPath: string, data: Uint8Array | AsyncIterable<Uint8Array>, signal?: AbortSignal, mode = 0o644,
): Promise<void> {
  const fh = await open(tmpPath, 'wx', mode);
  try {
    try {
      for await (const block of data instanceof Uint8Array ? [data] : data) {
        signal?.throwIfAborted();
        for (let done = 0; done < block.length;) done += (await fh.write(block, done, block.length - done)).bytesWritten;
      }
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmpPath, finalPath);
  } catch (err) {
    await rm(tmpPath, { force: true });
    throw err;
  }
  await fsyncDir(dirname(finalPath));
}

/** `writeFileAtomic` with a hidden temp file beside `path`; secrets default to mode 0600. */
export function atomicWriteFile(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  return writeFileAtomic(path, tmp, typeof data === 'string' ? Buffer.from(data) : data, undefined, mode);
}
