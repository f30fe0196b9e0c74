import { CertificateAuthority, createCertificateAuthority } from '../../../coordinator/pki/certificate-authority.js';

/** A throwaway CA and a server certificate for `host`, for the bench's own HTTPS baselines. */
export interface BenchTls { caPem: string; certPem: string; keyPem: string }

/** Issues a fresh CA and a server certificate naming `host` (same RSA 2048 keys as the coordinator's). */
export function benchTls(host: string): BenchTls {
  const ca = createCertificateAuthority('Homing bench CA');
  const server = new CertificateAuthority(ca).issueServerCertificate([host, 'localhost']);
  return { caPem: ca.certPem, certPem: server.certPem, keyPem: server.keyPem };
}
