import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../shared/errors.js';
import { atomicWriteFile } from '../../shared/fs/atomic-write.js';

/** A stored secret cannot be decrypted (wrong key, tampered row, or a row moved to another record). */
export class SecretUnreadableError extends AppError {
  constructor() { super('SECRET_UNREADABLE', 'the stored secret cannot be decrypted with this coordinator\'s key', 500); }
}

const VERSION = 'v1:';

/**
 * AES-256-GCM for secrets at rest. `context` is bound as associated data, so a ciphertext copied to another row
 * (another computer or account) fails to decrypt instead of revealing the wrong password.
 */
export class SecretBox {
  constructor(private readonly key: () => Promise<Buffer>) {}

  /** `v1:` + base64(12-byte IV ‖ 16-byte tag ‖ ciphertext). */
  async seal(plaintext: string, context: string): Promise<string> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', await this.key(), iv).setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return VERSION + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  /** The plaintext of a sealed value; throws `SecretUnreadableError` when it does not authenticate. */
  async open(sealed: string, context: string): Promise<string> {
    if (!sealed.startsWith(VERSION)) throw new SecretUnreadableError();
    const raw = Buffer.from(sealed.slice(VERSION.length), 'base64');
    try {
      const decipher = createDecipheriv('aes-256-gcm', await this.key(), raw.subarray(0, 12)).setAAD(Buffer.from(context));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretUnreadableError();
    }
  }
}

/** Loads `<dataDir>/secrets.key` (32 random bytes, mode 0600), creating it on first use; read once per process. */
export function dataDirSecretKey(dataDir: string): () => Promise<Buffer> {
  let key: Promise<Buffer> | undefined;
  const load = async () => {
    const path = join(dataDir, 'secrets.key');
    try {
      const existing = Buffer.from((await readFile(path, 'utf8')).trim(), 'base64');
      if (existing.length === 32) return existing;
      throw new AppError('SECRET_KEY_INVALID', `${path} must hold 32 base64-encoded bytes`, 500);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const created = randomBytes(32);
    await atomicWriteFile(path, created.toString('base64'), 0o600);
    return created;
  };
  return () => (key ??= load().catch((err) => { key = undefined; throw err; }));
}
