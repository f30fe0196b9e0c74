import { X509Certificate } from 'node:crypto';

/** `sha256:<hex>` fingerprint of a PEM certificate (what `--ca-file` alternatives pin). */
export function certificateFingerprint(pem: string): string {
  return `sha256:${new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase()}`;
}
