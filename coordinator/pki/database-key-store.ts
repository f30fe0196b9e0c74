import { Op } from 'sequelize';
import type { Database } from '../db/database.js';
import { SHARED_KEY_FILES, type SharedKeyStore, type SharedKeys } from './shared-key-store.js';

const PREFIX = 'pki:';

/**
 * Shared keys in the `settings` table (private keys sealed by the caller), so coordinators need no shared
 * disk. Creation runs under a database lock: the first coordinator creates, the others load.
 */
export class DatabaseKeyStore implements SharedKeyStore {
  constructor(private readonly db: Database) {}

  async loadOrCreate(create: () => SharedKeys): Promise<SharedKeys> {
    return (await this.read()) ?? this.db.write(async (transaction) => {
      await this.db.lock('pki:create', transaction);
      const existing = await this.read(transaction);
      if (existing) return existing;
      const created = create();
      await this.db.models.Setting.bulkCreate(
        (Object.entries(SHARED_KEY_FILES) as [keyof SharedKeys, string][]).map(([k, file]) => ({ key: PREFIX + file, value: created[k] })),
        { transaction },
      );
      return created;
    });
  }

  private async read(transaction?: Parameters<Database['lock']>[1]): Promise<SharedKeys | undefined> {
    const rows = await this.db.models.Setting.findAll({ where: { key: { [Op.startsWith]: PREFIX } }, transaction });
    const byFile = new Map(rows.map((r) => [r.key.slice(PREFIX.length), r.value]));
    const out: Partial<SharedKeys> = {};
    for (const [k, file] of Object.entries(SHARED_KEY_FILES) as [keyof SharedKeys, string][]) {
      const v = byFile.get(file);
      if (v === undefined) return undefined;
      out[k] = v;
    }
    return out as SharedKeys;
  }
}
