import { readFile } from 'node:fs/promises';
import { extract } from 'tar-stream';
import { openPackageStream, type PackageHeader } from '../../../shared/content/package-file.js';
import { blocksOf } from '../../shared/content/seeded-bytes.js';

/** Reads a package file back through the verifying reader and lists its tar entries with their contents. */
export async function readPackage(file: string): Promise<{ header: PackageHeader; entries: Map<string, { type: string; mode: number; body: string; linkname: string | null }> }> {
  const reader = await openPackageStream(blocksOf(await readFile(file), 64 * 1024));
  const parts: Uint8Array[] = [];
  for await (const c of reader.chunks()) parts.push(c.data);
  const entries = new Map<string, { type: string; mode: number; body: string; linkname: string | null }>();
  const ex = extract();
  const done = (async () => {
    for await (const entry of ex) {
      const body: Buffer[] = [];
      for await (const b of entry) body.push(b as Buffer);
      entries.set(entry.header.name, { type: entry.header.type, mode: entry.header.mode, body: Buffer.concat(body).toString(), linkname: entry.header.linkname });
    }
  })();
  ex.end(Buffer.concat(parts));
  await done;
  return { header: reader.header, entries };
}
