import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pack as tarPack, type Header } from 'tar-stream';
import { buildPackage } from '../../coordinator/pkg/build.js';
import { uploadPackage } from '../../coordinator/pkg/upload.js';
import { chunkStream } from '../../shared/content/fastcdc.js';
import type { Manifest, ManifestFile } from '../../shared/content/manifest.js';
import { writePackageFile } from '../../shared/content/package-file.js';
import { digestStream, sha256 } from '../../shared/digest.js';
import type { PackageSummary } from '../../shared/schemas/package.js';
import type { TestCoordinator } from './coordinator.js';

/** A file of a test tree: its content and mode. */
export interface TreeFile { content: string | Buffer; mode?: number }

/** Writes `files` under a fresh dir and builds a package file from it with the real builder; returns its path. */
export async function buildTestPackage(work: string, name: string, version: string, files: Record<string, TreeFile>, extra: { targetPrefix?: string; preinstall?: string; postinstall?: string } = {}): Promise<string> {
  const src = await mkdtemp(join(work, 'src-'));
  for (const [path, f] of Object.entries(files)) {
    await mkdir(dirname(join(src, path)), { recursive: true });
    await writeFile(join(src, path), f.content);
    await chmod(join(src, path), f.mode ?? 0o644);
  }
  const script = async (kind: string, body?: string) => {
    if (body === undefined) return undefined;
    const file = join(work, `${name}-${version}-${kind}-${Math.random().toString(36).slice(2)}.sh`);
    await writeFile(file, body);
    return file;
  };
  const outFile = join(work, `${name}-${version}-${Math.random().toString(36).slice(2)}.pkg`);
  await buildPackage({
    srcDir: src, name, version, outFile, targetPrefix: extra.targetPrefix,
    preinstallFile: await script('pre', extra.preinstall), postinstallFile: await script('post', extra.postinstall),
  });
  return outFile;
}

/** One raw tar entry of a crafted (possibly hostile) archive. */
export interface RawEntry { header: Partial<Header> & Pick<Header, 'name'>; body?: Buffer }

/**
 * Writes a package file whose payload is exactly the tar of `entries` and whose manifest lists `files`
 * (what the archive claims to be): hostile archives for extraction tests.
 */
export async function writeCraftedPackage(path: string, name: string, files: ManifestFile[], entries: RawEntry[]): Promise<void> {
  const pack = tarPack();
  for (const e of entries) pack.entry(e.header, e.body ?? '');
  pack.finalize();
  const parts: Buffer[] = [];
  for await (const b of pack) parts.push(b as Buffer);
  const tar = Buffer.concat(parts);
  const chunks: Manifest['chunks'] = [];
  for await (const c of chunkStream((async function* () { yield tar; })())) chunks.push({ digest: c.digest, size: c.length });
  const h = digestStream();
  h.update(tar);
  const manifest: Manifest = { schema: 1, name, version: '1.0', revision: 0, targetPrefix: '/', payload: { digest: h.digest(), size: tar.length }, files, chunks };
  await writePackageFile(path, { manifest }, (async function* () { yield tar; })());
}

/** A manifest file entry for `content` at `path`. */
export function fileEntry(path: string, content: Buffer, mode = 0o644): ManifestFile {
  return { path, type: 'file', mode, uid: 0, gid: 0, size: content.length, digest: sha256(content) };
}

/** Uploads a package file to a test coordinator. */
export function upload(t: TestCoordinator, file: string): Promise<PackageSummary> {
  return uploadPackage({ file, coordinatorUrl: t.url, caPem: t.caPem, token: t.token });
}

/** A temp work dir. */
export function workDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}
