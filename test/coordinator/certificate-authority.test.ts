import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { CertificateAuthority, createCertificateAuthority } from '../../coordinator/pki/certificate-authority.js';
import { createKeyAndCsr } from '../../shared/pki/csr.js';

describe('certificate authority', () => {
  const ca = new CertificateAuthority(createCertificateAuthority('Test CA'));
  const caX509 = new X509Certificate(ca.certPem);

  it('issues a device certificate from a CSR that verifies against the CA with the chosen subject', async () => {
    const { csrPem } = await createKeyAndCsr('whatever-the-agent-asks');
    const issued = await ca.signCsr(csrPem, '3f1b2c3d-0000-4000-8000-000000000001', 'device');
    const cert = new X509Certificate(issued.certPem);
    expect(cert.verify(caX509.publicKey)).toBe(true);
    expect(cert.checkIssued(caX509)).toBe(true);
    expect(cert.subject).toContain('CN=3f1b2c3d-0000-4000-8000-000000000001');
    expect(cert.subject).toContain('OU=device');
    expect(cert.serialNumber.toLowerCase()).toBe(issued.serial);
    expect(cert.ca).toBe(false);
  });

  it('issues a server certificate with IP and DNS names', () => {
    const issued = ca.issueServerCertificate(['localhost', '127.0.0.1']);
    const cert = new X509Certificate(issued.certPem);
    expect(cert.verify(caX509.publicKey)).toBe(true);
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
  });

  it('reports each certificate\'s serial exactly as X.509 encodes it', async () => {
    const { csrPem } = await createKeyAndCsr('a');
    const issued = await Promise.all(Array.from({ length: 32 }, () => ca.signCsr(csrPem, 'x', 'device')));
    for (const i of issued) expect(new X509Certificate(i.certPem).serialNumber.toLowerCase()).toBe(i.serial);
    expect(new Set(issued.map((i) => i.serial)).size).toBe(32);
  });

  it('refuses garbage and tampered CSRs', async () => {
    await expect(ca.signCsr('not a csr', 'x', 'device')).rejects.toThrow(/PEM certificate signing request/);
    const { csrPem } = await createKeyAndCsr('a');
    const body = csrPem.split('\n');
    const mid = Math.floor(body.length / 2);
    body[mid] = body[mid]!.replace(/[A-Za-z]/, (c) => (c === 'A' ? 'B' : 'A'));
    await expect(ca.signCsr(body.join('\n'), 'x', 'device')).rejects.toThrow();
  });

  /** A CSR carrying `carried`'s public key, signed with `signer` using `md`. */
  function csrFor(carried: { publicKey: string }, signer: { privateKey: string }, md: forge.md.MessageDigest): string {
    const csr = forge.pki.createCertificationRequest();
    csr.publicKey = forge.pki.publicKeyFromPem(carried.publicKey);
    csr.setSubject([{ name: 'commonName', value: 'x' }]);
    csr.sign(forge.pki.privateKeyFromPem(signer.privateKey), md);
    return forge.pki.certificationRequestToPem(csr);
  }
  const rsa = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs1', format: 'pem' } });

  it('refuses a CSR not signed by the key it carries (no proof of possession)', async () => {
    const [mine, theirs] = [rsa(2048), rsa(2048)];
    await expect(ca.signCsr(csrFor(theirs, mine, forge.md.sha256.create()), 'x', 'device')).rejects.toThrow(/csr signature does not verify/);
    expect((await ca.signCsr(csrFor(mine, mine, forge.md.sha256.create()), 'x', 'device')).certPem).toContain('BEGIN CERTIFICATE');
  });

  it('checks CSRs signed with other hashes and refuses keys under 2048 bits', async () => {
    const key = rsa(2048);
    for (const md of [forge.md.sha1.create(), forge.md.sha384.create(), forge.md.sha512.create()]) {
      const issued = await ca.signCsr(csrFor(key, key, md), 'x', 'device');
      expect(new X509Certificate(issued.certPem).verify(caX509.publicKey)).toBe(true);
      await expect(ca.signCsr(csrFor(key, rsa(2048), md), 'x', 'device')).rejects.toThrow(/does not verify/);
    }
    const small = rsa(1024);
    await expect(ca.signCsr(csrFor(small, small, forge.md.sha256.create()), 'x', 'device')).rejects.toThrow(/at least 2048 bits/);
  });
});
