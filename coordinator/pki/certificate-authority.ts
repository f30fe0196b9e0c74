import { createPrivateKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { hostname } from 'node:os';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { verifyCsr } from './csr-verification.js';
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

const signAsync = promisify(sign);

/**
 * forge builds the certificate; Node's crypto makes the RSA signature (forge's pure-JS RSA is ~50× slower).
 * This is the first half of forge's `cert.sign`: it sets the algorithm and returns the DER TBSCertificate,
 * whose SHA-256 RSA signature then goes into `cert.signature`.
 */
function toBeSigned(cert: forge.pki.Certificate): Buffer {
  cert.signatureOid = cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption!;
  const withTbs = cert as forge.pki.Certificate & { tbsCertificate: forge.asn1.Asn1 };
  withTbs.tbsCertificate = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);
  return Buffer.from(forge.asn1.toDer(withTbs.tbsCertificate).getBytes(), 'binary');
}

function signNow(cert: forge.pki.Certificate, key: KeyObject): void {
  cert.signature = sign('sha256', toBeSigned(cert), key).toString('binary');
}

/** Random positive 128-bit serial as lowercase hex. */
function newSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}

/** The signed certificate as PEM; newSerial's first byte is 0x01–0x7f, so its hex is the serial's canonical form. */
function issued(cert: forge.pki.Certificate, serial: string): IssuedCertificate {
  return { certPem: forge.pki.certificateToPem(cert), serial, notAfter: cert.validity.notAfter };
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
  signNow(cert, createPrivateKey(keys.privatePem));
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privatePem };
}

/** Issues certificates signed by one CA. */
export class CertificateAuthority {
  private readonly caCert: forge.pki.Certificate;
  private readonly caKey: KeyObject;
  /** The CA's subject key identifier (a SHA-1 of its key), the same for every certificate it issues. */
  private readonly caKeyId: string;

  constructor(readonly material: CaMaterial, private readonly now: () => number = Date.now) {
    this.caCert = forge.pki.certificateFromPem(material.certPem);
    this.caKey = createPrivateKey(material.keyPem);
    this.caKeyId = this.caCert.generateSubjectKeyIdentifier().getBytes();
  }

  /** The CA certificate, PEM. */
  get certPem(): string { return this.material.certPem; }

  /** Issues the coordinator's (or a node's) TLS server certificate with a fresh key. */
  issueServerCertificate(names: string[]): IssuedCertificate & { keyPem: string } {
    const keys = rsaKeyPair(2048);
    const { cert, serial } = this.build(forge.pki.publicKeyFromPem(keys.publicPem), names[0] ?? 'localhost', 'server', 825, names);
    signNow(cert, this.caKey);
    return { ...issued(cert, serial), keyPem: keys.privatePem };
  }

  /**
   * Verifies a CSR and issues a client certificate for it with the given subject (and, for nodes serving
   * HTTPS, their names). The CA key signs on libuv's thread pool, so the event loop keeps serving check-ins
   * meanwhile: the 3072-bit signature is most of an enrollment's CPU.
   */
  async signCsr(csrPem: string, commonName: string, kind: 'device' | 'node', days = 365, names: string[] = []): Promise<IssuedCertificate> {
    let csr: forge.pki.CertificateSigningRequest;
    try {
      csr = forge.pki.certificationRequestFromPem(csrPem);
    } catch {
      throw new ValidationError('csr is not a PEM certificate signing request');
    }
    const key = csr.publicKey as forge.pki.rsa.PublicKey | null;
    if (!key || typeof key.n?.bitLength !== 'function' || key.n.bitLength() < 2048) {
      throw new ValidationError('csr must carry an RSA key of at least 2048 bits');
    }
    if (!verifyCsr(csr)) throw new ValidationError('csr signature does not verify');
    const { cert, serial } = this.build(key, commonName, kind, days, names);
    cert.signature = (await signAsync('sha256', toBeSigned(cert), this.caKey)).toString('binary');
    return issued(cert, serial);
  }

  /** An unsigned certificate issued by this CA. */
  private build(publicKey: forge.pki.PublicKey, commonName: string, kind: CertKind, days: number, names: string[]): { cert: forge.pki.Certificate; serial: string } {
    const now = this.now();
    const cert = forge.pki.createCertificate();
    const serial = newSerial();
    cert.publicKey = publicKey;
    cert.serialNumber = serial;
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
      { name: 'authorityKeyIdentifier', keyIdentifier: this.caKeyId },
    ];
    if (names.length) {
      extensions.push({
        name: 'subjectAltName',
        altNames: names.map((n) => (/^[\d.]+$|:/.test(n) ? { type: 7, ip: n } : { type: 2, value: n })),
      });
    }
    cert.setExtensions(extensions);
    return { cert, serial };
  }
}
