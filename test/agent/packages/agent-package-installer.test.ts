import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentPackageInstaller } from '../../../agent/packages/agent-package-installer.js';
import type { ChunkSource } from '../../../agent/packages/chunk-source.js';
import { PackageInstallError } from '../../../agent/packages/errors.js';
import { extractPayload } from '../../../agent/packages/extract-payload.js';
import type { PackageItem } from '../../../agent/policy/package-installer.js';
import { signManifest, type Manifest, type SignedManifest } from '../../../shared/content/manifest.js';
import { openPackageStream } from '../../../shared/content/package-file.js';
import { sha256 as sha } from '../../../shared/digest.js';
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
  const installer = (source: ChunkSource = { fetch: async (c) => chunks.get(c.digest)! }, cacheMaxBytes = 64 * 1024 * KiB) => new AgentPackageInstaller({
    dir: join(work, 'state'), root: join(work, 'root'), packagePublicKey: key.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    manifests: async (id) => published.get(id), chunks: source, cacheMaxBytes,
    runScript, now: () => Date.now(), logger: silentLogger(),
  });
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
});
