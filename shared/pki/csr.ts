import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

const generateKeyPairAsync = promisify(generateKeyPair);

/** A fresh private key (PEM, PKCS#8) and a CSR for it; the coordinator sets the real subject. */
export interface KeyAndCsr { keyPem: string; csrPem: string }

/** Makes an RSA key with Node crypto and a CSR for it with forge (enrollment and node join). */
export async function createKeyAndCsr(commonName: string, bits = 2048): Promise<KeyAndCsr> {
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', {
    modulusLength: bits,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.publicKeyFromPem(publicKey);
  csr.setSubject([{ name: 'commonName', value: commonName.slice(0, 64) }]);
  csr.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  return { keyPem: privateKey, csrPem: forge.pki.certificationRequestToPem(csr) };
}
