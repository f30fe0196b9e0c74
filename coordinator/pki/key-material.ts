import { generateKeyPairSync, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWriteFile } from '../../shared/fs/atomic-write.js';
import { CertificateAuthority, createCertificateAuthority } from './certificate-authority.js';

/** Everything the coordinator signs and serves with, loaded from (or first created in) the data dir. */
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

async function readOptional(path: string): Promise<string | undefined> {
  try { return await readFile(path, 'utf8'); } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function loadOrCreate(path: string, create: () => string, mode = 0o600): Promise<string> {
  const existing = await readOptional(path);
  if (existing) return existing;
  const created = create();
  await atomicWriteFile(path, created, mode);
  return created;
}

function ed25519Pem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/**
 * Loads the CA, server certificate and signing keys from `dataDir`, creating any that are missing
 * (first start). `ca.pem` is the file agents pin.
 */
export async function loadKeyMaterial(dataDir: string, serverNames: string[]): Promise<KeyMaterial> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  let caCert = await readOptional(join(dataDir, 'ca.pem'));
  let caKey = await readOptional(join(dataDir, 'ca-key.pem'));
  if (!caCert || !caKey) {
    const created = createCertificateAuthority();
    await atomicWriteFile(join(dataDir, 'ca-key.pem'), created.keyPem, 0o600);
    await atomicWriteFile(join(dataDir, 'ca.pem'), created.certPem, 0o644);
    caCert = created.certPem;
    caKey = created.keyPem;
  }
  const ca = new CertificateAuthority({ certPem: caCert, keyPem: caKey });
  let serverCert = await readOptional(join(dataDir, 'server.pem'));
  let serverKey = await readOptional(join(dataDir, 'server-key.pem'));
  if (!serverCert || !serverKey) {
    const issued = ca.issueServerCertificate(serverNames);
    await atomicWriteFile(join(dataDir, 'server-key.pem'), issued.keyPem, 0o600);
    await atomicWriteFile(join(dataDir, 'server.pem'), issued.certPem, 0o644);
    serverCert = issued.certPem;
    serverKey = issued.keyPem;
  }
  const onlineKey = createPrivateKey(await loadOrCreate(join(dataDir, 'online-key.pem'), ed25519Pem));
  const packageKey = createPrivateKey(await loadOrCreate(join(dataDir, 'package-key.pem'), ed25519Pem));
  const pub = (k: KeyObject) => createPublicKey(k).export({ type: 'spki', format: 'pem' }).toString();
  return {
    ca,
    server: { certPem: serverCert, keyPem: serverKey },
    onlineKey,
    packageKey,
    onlinePublicPem: pub(onlineKey),
    packagePublicPem: pub(packageKey),
  };
}
