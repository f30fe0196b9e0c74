import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../../shared/errors.js';

/** Private keys at rest: encrypted PKCS#8 PEM (AES-256) under the configured key-encryption key, else plain PEM. */
export class KeySealer {
  constructor(private readonly passphrase?: string) {}

  /** True when keys are stored encrypted. */
  get encrypts(): boolean {
    return this.passphrase !== undefined;
  }

  /** The PEM to store for a private key. */
  seal(key: KeyObject | string): string {
    const k = typeof key === 'string' ? createPrivateKey(key) : key;
    return k.export(this.passphrase
      ? { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: this.passphrase }
      : { type: 'pkcs8', format: 'pem' }).toString();
  }

  /** The private key from stored PEM (plain PEM from before encryption was configured still loads). */
  open(pem: string, what: string): KeyObject {
    const encrypted = pem.includes('ENCRYPTED PRIVATE KEY');
    if (encrypted && !this.passphrase) throw new ConfigError([`${what} is encrypted: set HOMING_KEY_ENCRYPTION_KEY or keyEncryptionKeyFile`]);
    try {
      return createPrivateKey(encrypted ? { key: pem, passphrase: this.passphrase } : pem);
    } catch {
      throw new ConfigError([`${what} cannot be decrypted with the configured key-encryption key`]);
    }
  }
}

/** The key-encryption key from config: the value itself, or the first line of a key file. */
export async function readKeyEncryptionKey(opts: { keyEncryptionKey?: string; keyEncryptionKeyFile?: string }): Promise<string | undefined> {
  if (opts.keyEncryptionKey) return opts.keyEncryptionKey;
  if (!opts.keyEncryptionKeyFile) return undefined;
  const value = (await readFile(opts.keyEncryptionKeyFile, 'utf8')).split('\n')[0]!.trim();
  if (value.length < 16) throw new ConfigError([`keyEncryptionKeyFile: ${opts.keyEncryptionKeyFile} must hold at least 16 characters`]);
  return value;
}
