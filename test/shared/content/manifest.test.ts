import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManifestError } from '../../../shared/content/errors.js';
import { checkManifestConsistency, keyIdOf, parseManifest, signManifest, verifyManifest, type Manifest } from '../../../shared/content/manifest.js';
import { sha256 } from '../../../shared/digest.js';

// A small consistent manifest.
function sampleManifest(overrides: Partial<Manifest> = {}): Manifest {
  return {
    schema: 1, name: 'Firefox', version: '128.0.1', revision: 0, targetPrefix: '/Applications',
    payload: { digest: sha256('payload'), size: 3072 },
    files: [
      { path: 'Firefox.app', type: 'directory', mode: 0o755, uid: 0, gid: 80, gname: 'admin' },
      { path: 'Firefox.app/firefox', type: 'file', mode: 0o755, uid: 0, gid: 0, size: 100, digest: sha256('bin') },
      { path: 'Firefox.app/latest', type: 'symlink', mode: 0o777, uid: 0, gid: 0, target: 'firefox' },
    ],
    postinstall: '#!/bin/sh\necho done\n',
    chunks: [{ digest: sha256('c1'), size: 2048 }, { digest: sha256('c2'), size: 1024 }],
    ...overrides,
  };
}

const keys = () => generateKeyPairSync('ed25519');

function rejection(fn: () => unknown): ManifestError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ManifestError);
    return err as ManifestError;
  }
  throw new Error('expected a ManifestError');
}

describe('manifest signing', () => {
  it('signs and verifies, surviving a JSON round trip', () => {
    const { privateKey, publicKey } = keys();
    const signed = signManifest(sampleManifest(), privateKey);
    expect(signed.keyId).toBe(keyIdOf(publicKey));
    expect(verifyManifest(JSON.parse(JSON.stringify(signed)), publicKey)).toEqual(sampleManifest());
  });

  it('rejects a tampered manifest', () => {
    const { privateKey, publicKey } = keys();
    const signed = signManifest(sampleManifest(), privateKey);
    const tampered = { ...signed, manifest: { ...signed.manifest, postinstall: '#!/bin/sh\nrm -rf /\n' } };
    expect(rejection(() => verifyManifest(tampered, publicKey)).code).toBe('MANIFEST_SIGNATURE_INVALID');
    const revised = { ...signed, manifest: { ...signed.manifest, revision: 99 } };
    expect(rejection(() => verifyManifest(revised, publicKey)).code).toBe('MANIFEST_SIGNATURE_INVALID');
  });

  it('rejects a manifest signed by another key, also when the key id is forged', () => {
    const ours = keys();
    const theirs = keys();
    const signed = signManifest(sampleManifest(), theirs.privateKey);
    expect(rejection(() => verifyManifest(signed, ours.publicKey)).code).toBe('MANIFEST_SIGNATURE_INVALID');
    const forged = { ...signed, keyId: keyIdOf(ours.publicKey) };
    expect(rejection(() => verifyManifest(forged, ours.publicKey)).code).toBe('MANIFEST_SIGNATURE_INVALID');
  });

  it('rejects unsigned or malformed input as MANIFEST_INVALID', () => {
    const { publicKey } = keys();
    expect(rejection(() => verifyManifest({ manifest: sampleManifest() }, publicKey)).code).toBe('MANIFEST_INVALID');
    expect(rejection(() => verifyManifest('nope', publicKey)).code).toBe('MANIFEST_INVALID');
  });

  it('refuses to sign with a non-Ed25519 key', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => signManifest(sampleManifest(), privateKey)).toThrow(TypeError);
  });
});

describe('manifest validation', () => {
  it('accepts a consistent manifest', () => {
    expect(parseManifest(sampleManifest())).toEqual(sampleManifest());
  });

  it('refuses unknown keys (a signature must cover everything)', () => {
    expect(rejection(() => parseManifest({ ...sampleManifest(), extra: 1 })).code).toBe('MANIFEST_INVALID');
  });

  it.each([
    ['chunk sizes not adding up', { chunks: [{ digest: sha256('c1'), size: 10 }] }],
    ['a duplicate path', { files: [...sampleManifest().files, { path: 'Firefox.app', type: 'directory' as const, mode: 0o755, uid: 0, gid: 0 }] }],
    ['a parent-directory path', { files: [{ path: '../etc/passwd', type: 'file' as const, mode: 0o644, uid: 0, gid: 0, size: 1, digest: sha256('x') }] }],
    ['an absolute path', { files: [{ path: '/etc/passwd', type: 'file' as const, mode: 0o644, uid: 0, gid: 0, size: 1, digest: sha256('x') }] }],
    ['a drive-letter path', { files: [{ path: 'C:../x', type: 'file' as const, mode: 0o644, uid: 0, gid: 0, size: 1, digest: sha256('x') }] }],
    ['a backslash path', { files: [{ path: 'a\\..\\x', type: 'file' as const, mode: 0o644, uid: 0, gid: 0, size: 1, digest: sha256('x') }] }],
    ['a file nested under a symlink', { files: [...sampleManifest().files, { path: 'Firefox.app/latest/x', type: 'file' as const, mode: 0o644, uid: 0, gid: 0, size: 1, digest: sha256('x') }] }],
    ['a symlink leaving the root', { files: [{ path: 'l', type: 'symlink' as const, mode: 0o777, uid: 0, gid: 0, target: '../../etc' }] }],
    ['a relative target prefix', { targetPrefix: 'Applications' }],
    ['a target prefix with ..', { targetPrefix: '/opt/../etc' }],
  ])('refuses %s', (_label, change) => {
    expect(rejection(() => parseManifest(sampleManifest(change))).code).toBe('MANIFEST_INCONSISTENT');
    expect(() => checkManifestConsistency(sampleManifest(change))).toThrow(ManifestError);
  });
});
