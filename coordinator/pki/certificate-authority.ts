import { createPrivateKey, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { hostname } from 'node:os';
import forge from 'node-forge';
import { ValidationError } from '../../shared/errors.js';

/** The CA's certificate and private key, PEM. */
export interface CaMaterial { certPem: string; keyPem: string }

/** What a signed certificate is for. */
export type CertKind = 'device' | 'node' | 'server';

/** A certificate the CA issued. */
export interface IssuedCertificate { certPem: string; serial: string; notAfter: Date }

const DAY = 86_400_000;

function rsaKeyPair(bits: number): { publicPem: string; privatePem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: bits,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicPem: publicKey, privatePem: privateKey };
}

/**
 * forge builds the certificate; Node's crypto makes the RSA signature (forge's pure-JS RSA is ~50× slower).
 * forge feeds the DER TBSCertificate to `md.update` and then calls `key.sign(md)`.
 */
function signWithNodeCrypto(cert: forge.pki.Certificate, key: KeyObject): void {
  let tbs = '';
  const md = { algorithm: 'sha256', update(bytes: string) { tbs += bytes; } };
  const signer = { sign: () => sign('sha256', Buffer.from(tbs, 'binary'), key).toString('binary') };
  cert.sign(signer as unknown as forge.pki.rsa.PrivateKey, md as unknown as forge.md.MessageDigest);
}

/** Random positive 128-bit serial as lowercase hex. */
function newSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}

/** Creates a new self-signed CA (RSA 3072, 10 years). */
export function createCertificateAuthority(commonName = `Homing CA (${hostname()})`, now = Date.now()): CaMaterial {
  const keys = rsaKeyPair(3072);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicPem);
  cert.serialNumber = newSerial();
  cert.validity.notBefore = new Date(now - DAY);
  cert.validity.notAfter = new Date(now + 3650 * DAY);
  const subject = [{ name: 'commonName', value: commonName }, { name: 'organizationName', value: 'Homing' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  signWithNodeCrypto(cert, createPrivateKey(keys.privatePem));
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privatePem };
}

/** Issues certificates signed by one CA. */
export class CertificateAuthority {
  private readonly caCert: forge.pki.Certificate;
  private readonly caKey: KeyObject;

  constructor(readonly material: CaMaterial, private readonly now: () => number = Date.now) {
    this.caCert = forge.pki.certificateFromPem(material.certPem);
    this.caKey = createPrivateKey(material.keyPem);
  }

  /** The CA certificate, PEM. */
  get certPem(): string { return this.material.certPem; }

  /** Issues the coordinator's (or a node's) TLS server certificate with a fresh key. */
  issueServerCertificate(names: string[]): IssuedCertificate & { keyPem: string } {
    const keys = rsaKeyPair(2048);
    const issued = this.issue(forge.pki.publicKeyFromPem(keys.publicPem), names[0] ?? 'localhost', 'server', 825, names);
    return { ...issued, keyPem: keys.privatePem };
  }

  /** Verifies a CSR and issues a client certificate for it with the given subject (and, for nodes serving HTTPS, their names). */
  signCsr(csrPem: string, commonName: string, kind: 'device' | 'node', days = 365, names: string[] = []): IssuedCertificate {
    let csr: forge.pki.CertificateSigningRequest;
    try {
      csr = forge.pki.certificationRequestFromPem(csrPem);
    } catch {
      throw new ValidationError('csr is not a PEM certificate signing request');
    }
    if (!csr.verify()) throw new ValidationError('csr signature does not verify');
    const key = csr.publicKey as forge.pki.rsa.PublicKey | null;
    if (!key || typeof key.n?.bitLength !== 'function' || key.n.bitLength() < 2048) {
      throw new ValidationError('csr must carry an RSA key of at least 2048 bits');
    }
    return this.issue(key, commonName, kind, days, names);
  }

  private issue(publicKey: forge.pki.PublicKey, commonName: string, kind: CertKind, days: number, names: string[]): IssuedCertificate {
    const now = this.now();
    const cert = forge.pki.createCertificate();
    cert.publicKey = publicKey;
    cert.serialNumber = newSerial();
    cert.validity.notBefore = new Date(now - 5 * 60_000);
    cert.validity.notAfter = new Date(now + days * DAY);
    cert.setSubject([
      { name: 'commonName', value: commonName },
      { name: 'organizationName', value: 'Homing' },
      { name: 'organizationalUnitName', value: kind },
    ]);
    cert.setIssuer(this.caCert.subject.attributes);
    const extensions: object[] = [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: kind !== 'device', clientAuth: kind !== 'server' },
      { name: 'authorityKeyIdentifier', keyIdentifier: this.caCert.generateSubjectKeyIdentifier().getBytes() },
    ];
    if (names.length) {
      extensions.push({
        name: 'subjectAltName',
        altNames: names.map((n) => (/^[\d.]+$|:/.test(n) ? { type: 7, ip: n } : { type: 2, value: n })),
      });
    }
    cert.setExtensions(extensions);
    signWithNodeCrypto(cert, this.caKey);
    const certPem = forge.pki.certificateToPem(cert);
    return { certPem, serial: new X509Certificate(certPem).serialNumber.toLowerCase(), notAfter: cert.validity.notAfter };
  }
}
