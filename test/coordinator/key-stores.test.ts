import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../coordinator/db/database.js';
import { DatabaseKeyStore } from '../../coordinator/pki/database-key-store.js';
import { FileKeyStore } from '../../coordinator/pki/file-key-store.js';
import { loadKeyMaterial } from '../../coordinator/pki/key-material.js';
import { KeySealer } from '../../coordinator/pki/key-sealing.js';
import { ConfigError } from '../../shared/errors.js';

const KEK = 'a-long-key-encryption-key';

describe('shared key stores', () => {
  let work: string;
  beforeAll(async () => { work = await mkdtemp(join(tmpdir(), 'homing-keys-')); });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('creates one CA for coordinators starting together on one key dir, private keys encrypted at rest', async () => {
    const keyDir = join(work, 'shared');
    const start = (i: number) => loadKeyMaterial({ store: new FileKeyStore(keyDir), sealer: new KeySealer(KEK), dataDir: join(work, `c${i}`), serverNames: ['localhost'] });
    const keys = await Promise.all([0, 1, 2, 3].map(start));
    expect(new Set(keys.map((k) => k.ca.certPem)).size).toBe(1);
    expect(new Set(keys.map((k) => k.onlinePublicPem)).size).toBe(1);
    for (const file of ['ca-key.pem', 'online-key.pem', 'package-key.pem']) {
      expect(await readFile(join(keyDir, file), 'utf8')).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    }
    expect(await readFile(join(work, 'c2', 'ca.pem'), 'utf8')).toBe(keys[0]!.ca.certPem);
  });

  it('refuses encrypted keys without the key-encryption key, or with a wrong one', async () => {
    const keyDir = join(work, 'shared');
    const load = (sealer: KeySealer) => loadKeyMaterial({ store: new FileKeyStore(keyDir), sealer, dataDir: join(work, 'c9'), serverNames: ['localhost'] });
    await expect(load(new KeySealer())).rejects.toBeInstanceOf(ConfigError);
    await expect(load(new KeySealer('not-the-right-key-at-all'))).rejects.toBeInstanceOf(ConfigError);
  });

  it('keeps one set of keys in the database when several coordinators create them at once', async () => {
    const db = new Database({ url: join(work, 'keys.sqlite') });
    await db.migrate();
    try {
      const sealer = new KeySealer(KEK);
      const keys = await Promise.all([0, 1, 2].map((i) => loadKeyMaterial({ store: new DatabaseKeyStore(db), sealer, dataDir: join(work, `d${i}`), serverNames: ['localhost'] })));
      expect(new Set(keys.map((k) => k.ca.certPem)).size).toBe(1);
      expect(new Set(keys.map((k) => k.packagePublicPem)).size).toBe(1);
    } finally {
      await db.close();
    }
  });
});
