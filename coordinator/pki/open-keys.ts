import { resolve } from 'node:path';
import { serverNames, type CoordinatorConfig } from '../config.js';
import type { Database } from '../db/database.js';
import { DatabaseKeyStore } from './database-key-store.js';
import { FileKeyStore } from './file-key-store.js';
import { KeySealer, readKeyEncryptionKey } from './key-sealing.js';
import { loadKeyMaterial, type KeyMaterial } from './key-material.js';

/** Loads (or, on the installation's first start, creates) the key material from the store the config names. */
export async function openKeyMaterial(config: CoordinatorConfig, db: Database): Promise<KeyMaterial> {
  const sealer = new KeySealer(await readKeyEncryptionKey(config));
  const store = config.keyStore === 'database' ? new DatabaseKeyStore(db) : new FileKeyStore(resolve(config.keyDir ?? config.dataDir));
  return loadKeyMaterial({ store, sealer, dataDir: config.dataDir, serverNames: serverNames(config) });
}
