import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CertificateAuthority, createCertificateAuthority } from '../../coordinator/pki/certificate-authority.js';
import { createKeyAndCsr } from '../../shared/pki/csr.js';

describe('certificate authority', () => {
  const ca = new CertificateAuthority(createCertificateAuthority('Test CA'));
  const caX509 = new X509Certificate(ca.certPem);

  it('issues a device certificate from a CSR that verifies against the CA with the chosen subject', async () => {
    const { csrPem } = await createKeyAndCsr('whatever-the-agent-asks');
    const issued = ca.signCsr(csrPem, '3f1b2c3d-0000-4000-8000-000000000001', 'device');
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

  it('refuses garbage and tampered CSRs', async () => {
    expect(() => ca.signCsr('not a csr', 'x', 'device')).toThrow(/PEM certificate signing request/);
    const { csrPem } = await createKeyAndCsr('a');
    const body = csrPem.split('\n');
    const mid = Math.floor(body.length / 2);
    body[mid] = body[mid]!.replace(/[A-Za-z]/, (c) => (c === 'A' ? 'B' : 'A'));
    expect(() => ca.signCsr(body.join('\n'), 'x', 'device')).toThrow();
  });
});
