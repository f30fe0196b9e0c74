import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from './digest.js';

/** Signs `canonicalJson(value)` with an Ed25519 private key; returns base64. */
export function signJson(value: unknown, privateKey: KeyObject): string {
  return sign(null, Buffer.from(canonicalJson(value)), privateKey).toString('base64');
}

/** Verifies a base64 Ed25519 signature over `canonicalJson(value)`. */
export function verifyJson(value: unknown, signature: string, publicKey: KeyObject): boolean {
  try {
    return verify(null, Buffer.from(canonicalJson(value)), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** Loads an Ed25519 public key from PEM. */
export function publicKeyFromPem(pem: string): KeyObject {
  return createPublicKey(pem);
}

/** Loads a private key from PEM. */
export function privateKeyFromPem(pem: string): KeyObject {
  return createPrivateKey(pem);
}
