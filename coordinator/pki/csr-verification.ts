import { createPublicKey, verify } from 'node:crypto';
import forge from 'node-forge';

/** PKCS#1 v1.5 signature algorithms of a CSR that Node's crypto checks, by OID (the ones forge's own check accepts). */
const RSA_HASHES: Record<string, string> = {
  [forge.pki.oids.sha1WithRSAEncryption!]: 'sha1',
  [forge.pki.oids.md5WithRSAEncryption!]: 'md5',
  [forge.pki.oids.sha256WithRSAEncryption!]: 'sha256',
  [forge.pki.oids.sha384WithRSAEncryption!]: 'sha384',
  [forge.pki.oids.sha512WithRSAEncryption!]: 'sha512',
};

/**
 * Whether a parsed CSR is signed by the key it carries (proof of possession). Node's crypto checks
 * PKCS#1 v1.5 signatures ~15× faster than forge's pure-JS RSA; any other algorithm (RSASSA-PSS)
 * is left to forge, which decodes its parameters.
 */
export function verifyCsr(csr: forge.pki.CertificateSigningRequest): boolean {
  // A parsed CSR keeps the CertificationRequestInfo it was signed over.
  const { signatureOid, signature, publicKey, certificationRequestInfo: info } = csr as typeof csr & { signatureOid: string; signature: string; certificationRequestInfo: forge.asn1.Asn1 };
  const hash = RSA_HASHES[signatureOid];
  if (!hash) return csr.verify();
  const der = (asn1: forge.asn1.Asn1) => Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
  const key = createPublicKey({ key: der(forge.pki.publicKeyToRSAPublicKey(publicKey as forge.pki.rsa.PublicKey)), format: 'der', type: 'pkcs1' });
  return verify(hash, der(info), key, Buffer.from(signature, 'binary'));
}
