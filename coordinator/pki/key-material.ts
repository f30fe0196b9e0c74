import { generateKeyPairSync, createPublicKey, type KeyObject } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWriteFile } from '../../shared/fs/atomic-write.js';
import { CertificateAuthority, createCertificateAuthority } from './certificate-authority.js';
import type { KeySealer } from './key-sealing.js';
import type { SharedKeyStore, SharedKeys } from './shared-key-store.js';

/** Everything the coordinator signs and serves with. */
export interface KeyMaterial {
  ca: CertificateAuthority;
  server: { certPem: string; keyPem: string };
  /** Signs per-device policy bundles. */
  onlineKey: KeyObject;
  /** Signs package manifests. */
  packageKey: KeyObject;
  onlinePublicPem: string;
  packagePublicPem: string;
}

/** Where keys come from: the shared store (CA, signing keys), this coordinator's data dir (its TLS cert), and the sealer. */
export interface KeyMaterialOptions { store: SharedKeyStore; sealer: KeySealer; dataDir: string; serverNames: string[] }

async function readOptional(path: string): Promise<string | undefined> {
  try { return await readFile(path, 'utf8'); } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

const plainPem = (k: KeyObject) => k.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicPem = (k: KeyObject) => createPublicKey(k).export({ type: 'spki', format: 'pem' }).toString();

function createSharedKeys(sealer: KeySealer): SharedKeys {
  const ca = createCertificateAuthority();
  const ed25519 = () => sealer.seal(generateKeyPairSync('ed25519').privateKey);
  return { caCertPem: ca.certPem, caKeyPem: sealer.seal(ca.keyPem), onlineKeyPem: ed25519(), packageKeyPem: ed25519() };
}

/**
 * Loads the CA and signing keys from the shared store (the first coordinator creates them) and this
 * coordinator's TLS server certificate from its data dir (issued by the CA on first start).
 * `<dataDir>/ca.pem` is always written: it is the file agents pin.
 */
export async function loadKeyMaterial(opts: KeyMaterialOptions): Promise<KeyMaterial> {
  const { sealer, dataDir } = opts;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const shared = await opts.store.loadOrCreate(() => createSharedKeys(sealer));
  const ca = new CertificateAuthority({ certPem: shared.caCertPem, keyPem: plainPem(sealer.open(shared.caKeyPem, 'the CA key')) });
  if ((await readOptional(join(dataDir, 'ca.pem'))) !== shared.caCertPem) await atomicWriteFile(join(dataDir, 'ca.pem'), shared.caCertPem, 0o644);

  let serverCert = await readOptional(join(dataDir, 'server.pem'));
  let serverKey = await readOptional(join(dataDir, 'server-key.pem'));
  if (!serverCert || !serverKey) {
    const issued = ca.issueServerCertificate(opts.serverNames);
    serverKey = sealer.seal(issued.keyPem);
    await atomicWriteFile(join(dataDir, 'server-key.pem'), serverKey, 0o600);
    await atomicWriteFile(join(dataDir, 'server.pem'), issued.certPem, 0o644);
    serverCert = issued.certPem;
  }
  const onlineKey = sealer.open(shared.onlineKeyPem, 'the online signing key');
  const packageKey = sealer.open(shared.packageKeyPem, 'the package signing key');
  return {
    ca,
    server: { certPem: serverCert, keyPem: plainPem(sealer.open(serverKey, 'the server key')) },
    onlineKey,
    packageKey,
    onlinePublicPem: publicPem(onlineKey),
    packagePublicPem: publicPem(packageKey),
  };
}
