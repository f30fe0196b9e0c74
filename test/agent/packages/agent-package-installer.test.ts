import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentPackageInstaller } from '../../../agent/packages/agent-package-installer.js';
import type { ChunkSource } from '../../../agent/packages/chunk-source.js';
import { PackageInstallError } from '../../../agent/packages/errors.js';
import { extractPayload, type ExtractLimits } from '../../../agent/packages/extract-payload.js';
import type { PackageItem } from '../../../agent/policy/package-installer.js';
import { pack as tarPack } from 'tar-stream';
import { signManifest, type Manifest, type SignedManifest } from '../../../shared/content/manifest.js';
import { openPackageStream } from '../../../shared/content/package-file.js';
import { digestStream, sha256 as sha } from '../../../shared/digest.js';
import { silentLogger } from '../../../shared/logger.js';
import { buildTestPackage, workDir } from '../../helpers/packages.js';
import { seededBytes } from '../../shared/content/seeded-bytes.js';

const KiB = 1024;

describe('agent package installer (offline: signed manifests and chunks in memory)', () => {
  let work: string;
  const key = generateKeyPairSync('ed25519');
  const published = new Map<number, SignedManifest | { manifest: Manifest }>();
  const chunks = new Map<string, Uint8Array>();
  let nextId = 1;

  /** Builds a package, keeps its chunks, publishes its manifest signed with `signer` at `revision`; returns its id. */
  const publish = async (name: string, content: Buffer, revision: number, signer: KeyObject | null = key.privateKey, scripts: { preinstall?: string; postinstall?: string } = {}) => {
    const file = await buildTestPackage(work, name, `1.${revision}`, { 'f.bin': { content } }, { targetPrefix: '/opt/x', ...scripts });
    const buf = await readFile(file);
    const reader = await openPackageStream((async function* () { yield buf; })());
    for await (const c of reader.chunks()) chunks.set(c.digest, c.data);
    const manifest = { ...reader.header.manifest, revision };
    const id = nextId++;
    published.set(id, signer ? signManifest(manifest, signer) : { manifest });
    return id;
  };
  /** Scripts whose content is `fail` fail, like a script killed mid-run. */
  const runScript = async (kind: string, content: string) => {
    if (content.includes('fail')) throw new PackageInstallError('SCRIPT_FAILED', `${kind} script was killed`);
    return '';
  };
  const installer = (source: ChunkSource = { fetch: async (c) => chunks.get(c.digest)! }, cacheMaxBytes = 64 * 1024 * KiB, extractLimits?: ExtractLimits) => new AgentPackageInstaller({
    dir: join(work, 'state'), root: join(work, 'root'), packagePublicKey: key.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    manifests: async (id) => published.get(id), chunks: source, cacheMaxBytes, ...(extractLimits ? { extractLimits } : {}),
    runScript, now: () => Date.now(), logger: silentLogger(),
  });
  /** A source serving the published chunks that counts what it was asked for. */
  const countingSource = () => {
    const asked: string[] = [];
    return { asked, source: { fetch: async (c: { digest: string }) => { asked.push(c.digest); return chunks.get(c.digest)!; } } as ChunkSource };
  };
  /** Publishes a hand-made manifest (signed at `revision`) whose chunks are `parts`, kept in the chunk map. */
  const publishCrafted = (base: Manifest, files: Manifest['files'], parts: Uint8Array[], revision: number) => {
    const payload = digestStream();
    let size = 0;
    for (const p of parts) { payload.update(p); size += p.length; chunks.set(sha(p), p); }
    const manifest: Manifest = { ...base, revision, files, payload: { digest: payload.digest(), size }, chunks: parts.map((p) => ({ digest: sha(p), size: p.length })) };
    delete (manifest as { preinstall?: string }).preinstall;
    delete (manifest as { postinstall?: string }).postinstall;
    const id = nextId++;
    published.set(id, signManifest(manifest, key.privateKey));
    return { id, manifest };
  };
  const item = (packageId: number, action: PackageItem['action'] = 'install'): PackageItem => ({ type: 'package', packageId, action, priority: 10, installCheck: null });

  beforeAll(async () => { work = await workDir('homing-agent-pkg-'); });
  afterAll(async () => { await rm(work, { recursive: true, force: true }); });

  it('refuses unsigned and foreign-signed manifests and chunks with wrong bytes, writing nothing', async () => {
    const i = installer();
    await expect(i.fetch(item(await publish('Unsigned', seededBytes('u', 10 * KiB), 1, null)))).rejects.toMatchObject({ code: 'MANIFEST_INVALID' });
    const foreign = generateKeyPairSync('ed25519').privateKey;
    await expect(i.fetch(item(await publish('Foreign', seededBytes('f', 10 * KiB), 1, foreign)))).rejects.toMatchObject({ code: 'MANIFEST_SIGNATURE_INVALID' });
    const flipping = installer({ fetch: async (c) => { const b = Buffer.from(chunks.get(c.digest)!); b[0]! ^= 1; return b; } });
    await expect(flipping.fetch(item(await publish('Flipped', seededBytes('w', 10 * KiB), 1)))).rejects.toMatchObject({ code: 'CHUNK_DIGEST_MISMATCH' });
    await expect(readdir(join(work, 'root'))).rejects.toThrow();
  });

  it('refuses a second, different manifest for the installed revision', async () => {
    const i = installer();
    const a = await publish('Mixed', seededBytes('m1', 10 * KiB), 1);
    await i.fetch(item(a));
    expect(await i.apply(item(a))).toMatchObject({ status: 'success' });
    const b = await publish('Mixed', seededBytes('m2', 10 * KiB), 1);
    await expect(i.fetch(item(b))).rejects.toMatchObject({ code: 'MANIFEST_MIXED' });
  });

  it('evicts least recently used chunks past the cache cap, keeping the package in use', async () => {
    const i = installer(undefined, 700 * KiB);
    const first = await publish('First', seededBytes('e1', 600 * KiB), 1);
    const second = await publish('Second', seededBytes('e2', 600 * KiB), 1);
    await i.fetch(item(first, 'cache'));
    await i.apply(item(first, 'cache'));
    await i.fetch(item(second, 'cache'));
    await expect(i.fetch(item(first, 'install-cached'))).rejects.toMatchObject({ code: 'NOT_CACHED' });
    await i.fetch(item(second, 'install-cached'));
    expect(await i.apply(item(second, 'install-cached'))).toMatchObject({ status: 'success', message: expect.stringContaining('installed Second') });
  });

  it('keeps the installed version when preinstall fails, and completes an install interrupted after the move', async () => {
    const i = installer();
    const installed = join(work, 'root/opt/x/f.bin');
    const v1 = await publish('Faulty', seededBytes('v1', 10 * KiB), 5);
    await i.fetch(item(v1));
    await i.apply(item(v1));
    const v2 = await publish('Faulty', seededBytes('v2', 10 * KiB), 6, key.privateKey, { preinstall: '#!/bin/sh\nfail\n' });
    await i.fetch(item(v2));
    await expect(i.apply(item(v2))).rejects.toMatchObject({ code: 'SCRIPT_FAILED' });
    expect(await readFile(installed)).toHaveLength(10 * KiB);
    expect(sha(await readFile(installed))).toBe(sha(seededBytes('v1', 10 * KiB)));
    expect((await i.list()).find((r) => r.name === 'Faulty')).toMatchObject({ revision: 5, state: 'installed' });
    await expect(readdir(join(work, 'root/.homing-staging'))).resolves.toEqual([]);

    // Killed after the move (postinstall): the receipt says "installing" and names the files; the next run completes.
    const v3 = await publish('Faulty', seededBytes('v3', 10 * KiB), 7, key.privateKey, { postinstall: '#!/bin/sh\nfail\n' });
    await i.fetch(item(v3));
    await expect(i.apply(item(v3))).rejects.toMatchObject({ code: 'SCRIPT_FAILED' });
    expect((await i.list()).find((r) => r.name === 'Faulty')).toMatchObject({ revision: 7, state: 'installing', files: [{ path: 'f.bin' }] });
    const v3ok = await publish('Faulty', seededBytes('v3', 10 * KiB), 8);
    await i.fetch(item(v3ok));
    expect(await i.apply(item(v3ok))).toMatchObject({ status: 'success', message: expect.stringContaining('installed Faulty') });
    expect((await i.list()).find((r) => r.name === 'Faulty')).toMatchObject({ revision: 8, state: 'installed' });
  });

  it('caps entries, bytes and depth while extracting', async () => {
    const file = await buildTestPackage(work, 'Deep', '1.0', { 'a/b/c/d.txt': { content: 'deep' }, 'e.txt': { content: 'e' } });
    const buf = await readFile(file);
    const manifest = (await openPackageStream((async function* () { yield buf; })())).header.manifest;
    const payload = async function* () { const r = await openPackageStream((async function* () { yield buf; })()); for await (const c of r.chunks()) yield c.data; };
    const limits = { maxEntries: 100, maxBytes: 1000, maxDepth: 10 };
    for (const [i, cap] of [{ maxDepth: 3 }, { maxEntries: 3 }, { maxBytes: 4 }].entries()) {
      const staging = join(work, `caps-${i}`);
      await mkdir(staging);
      await expect(extractPayload(payload(), manifest, staging, { ...limits, ...cap })).rejects.toMatchObject({ code: 'ARCHIVE_TOO_LARGE' });
    }
    const ok = join(work, 'caps-ok');
    await mkdir(ok);
    await extractPayload(payload(), manifest, ok, limits);
    expect(await readFile(join(ok, 'a/b/c/d.txt'), 'utf8')).toBe('deep');
  });

  it('refuses a 1000:1 dedup bomb and a 10^6-entry manifest before fetching or writing anything, keeping the installed version', async () => {
    const KiB64 = 64 * KiB;
    const installedFile = join(work, 'root/opt/x/f.bin');
    const v1 = await publish('Bomb', seededBytes('bomb-v1', 10 * KiB), 1);
    const first = installer();
    await first.fetch(item(v1));
    await first.apply(item(v1));
    const base = (published.get(v1) as SignedManifest).manifest;

    // One 64 KiB chunk of zeros listed 1025 times: a tar holding a 64 MiB file for ~67 KB of unique bytes.
    const zeros = new Uint8Array(KiB64);
    const repeats = 1025;
    const tar = tarPack();
    tar.entry({ name: 'f.bin', size: repeats * KiB64, mode: 0o644 }, Buffer.alloc(repeats * KiB64));
    tar.finalize();
    const packed: Buffer[] = [];
    for await (const b of tar) packed.push(b as Buffer);
    const whole = Buffer.concat(packed);
    const parts = [whole.subarray(0, 512), ...Array.from({ length: repeats }, () => zeros), whole.subarray(512 + repeats * KiB64)];
    expect(parts.reduce((n, p) => n + p.length, 0)).toBe(whole.length);
    const content = digestStream();
    for (let i = 0; i < repeats; i++) content.update(zeros);
    const bomb = publishCrafted(base, [{ path: 'f.bin', type: 'file', mode: 0o644, uid: 0, gid: 0, size: repeats * KiB64, digest: content.digest() }], parts, 2);
    const unique = new Set(bomb.manifest.chunks.map((c) => c.digest));
    const uniqueBytes = [...unique].reduce((n, d) => n + chunks.get(d)!.length, 0);
    expect(bomb.manifest.payload.size / uniqueBytes).toBeGreaterThan(1000);

    const { asked, source } = countingSource();
    const capped = installer(source, undefined, { maxEntries: 1000, maxBytes: 16 * 1024 * KiB, maxDepth: 16 });
    await expect(capped.fetch(item(bomb.id))).rejects.toMatchObject({ code: 'ARCHIVE_TOO_LARGE', message: expect.stringMatching(/unpacks to 67174400 bytes, limit 16777216/) });

    // A signed manifest listing a million entries, refused by the default cap.
    const many = publishCrafted(base, Array.from({ length: 1_000_000 }, (_, i) => ({ path: `d${i}`, type: 'directory' as const, mode: 0o755, uid: 0, gid: 0 })), [chunks.get(base.chunks[0]!.digest)!], 3);
    await expect(installer(source).fetch(item(many.id))).rejects.toMatchObject({ code: 'ARCHIVE_TOO_LARGE', message: expect.stringMatching(/has 1000000 entries, limit 500000/) });

    expect(asked).toEqual([]);
    expect(await readdir(join(work, 'root'))).toEqual(['.homing-staging', 'opt']);
    expect(await readdir(join(work, 'root/.homing-staging'))).toEqual([]);
    expect(sha(await readFile(installedFile))).toBe(sha(seededBytes('bomb-v1', 10 * KiB)));
    expect((await installer().list()).find((r) => r.name === 'Bomb')).toMatchObject({ revision: 1, state: 'installed' });
  }, 60_000);

  it('refuses chunk bytes past the signed length and keeps nothing of them', async () => {
    const v = await publish('Longer', seededBytes('longer', 10 * KiB), 1);
    const longer: ChunkSource = { fetch: async (c) => Buffer.concat([chunks.get(c.digest)!, Buffer.from('appended past the signed length')]) };
    await expect(installer(longer).fetch(item(v))).rejects.toMatchObject({ code: 'PAYLOAD_MISMATCH', message: expect.stringMatching(/the manifest says/) });
    const digest = (published.get(v) as SignedManifest).manifest.chunks[0]!.digest.slice(7);
    expect(await readdir(join(work, 'state/cache/chunks', digest.slice(0, 2), digest.slice(2, 4))).catch(() => [])).not.toContain(digest);
    await expect(readdir(join(work, 'root/opt/x/longer'))).rejects.toThrow();
  });
});
