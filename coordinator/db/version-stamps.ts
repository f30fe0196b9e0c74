import { randomUUID } from 'node:crypto';
import { QueryTypes, type Transaction } from 'sequelize';
import type { Database } from './database.js';
import type { SettingRow } from './models/computers.js';
import type { RowLookup } from './row-lookup.js';

/** Names of the stamps coordinators compare before trusting an in-process cache. */
export type StampName = 'fleet' | 'groups';

/**
 * Versioned rows (in `settings`) that let several coordinators share one database without stale
 * caches: a writer sets a new stamp inside the transaction that changes the cached data, and a reader
 * rebuilds its cache whenever the stamp differs from the one the cache was built at.
 */
export class VersionStamps {
  /** Reads outside a transaction (every check-in makes one) take the prepared path. */
  private readonly byKey: RowLookup<SettingRow>;
  /**
   * On SQLite this process is the only coordinator, so its own bumps are the only ones: a stamp read
   * stays true until this process bumps it. `generation` keeps a read that raced a bump from being kept.
   */
  private readonly known = new Map<StampName, string>();
  private generation = 0;

  constructor(private readonly db: Database) {
    this.byKey = db.lookup<SettingRow>(db.models.Setting, 'key');
  }

  /** Sets a fresh stamp inside the writer's transaction (on Postgres the row lock also orders it after readers holding a share lock). */
  async bump(name: StampName, transaction: Transaction): Promise<string> {
    this.forget(name);
    transaction.afterCommit(() => this.forget(name));
    const value = randomUUID();
    await this.db.sequelize.query(
      'INSERT INTO settings ("key", value) VALUES (:key, :value) ON CONFLICT ("key") DO UPDATE SET value = excluded.value',
      { replacements: { key: key(name), value }, transaction },
    );
    return value;
  }

  /**
   * The current stamp. With `share` (Postgres), the row stays share-locked until the transaction ends,
   * so a concurrent `bump` waits for this transaction instead of changing the data under it.
   */
  async read(name: StampName, opts: { transaction?: Transaction; share?: boolean } = {}): Promise<string> {
    if (!opts.transaction) return this.readOutside(name);
    const lock = opts.share && this.db.dialect === 'postgres' ? ' FOR SHARE' : '';
    const select = () => this.db.sequelize.query<{ value: string }>(
      `SELECT value FROM settings WHERE "key" = :key${lock}`,
      { replacements: { key: key(name) }, transaction: opts.transaction, type: QueryTypes.SELECT },
    );
    const rows = await select();
    if (rows[0] || !lock) return rows[0]?.value ?? '';
    // A lock needs a row: create the first stamp, then lock it.
    await this.db.sequelize.query(
      'INSERT INTO settings ("key", value) VALUES (:key, :value) ON CONFLICT ("key") DO NOTHING',
      { replacements: { key: key(name), value: randomUUID() }, transaction: opts.transaction },
    );
    return (await select())[0]!.value;
  }

  private async readOutside(name: StampName): Promise<string> {
    const known = this.known.get(name);
    if (known !== undefined) return known;
    const generation = this.generation;
    const value = (await this.byKey.get(key(name)))?.value ?? '';
    if (this.db.dialect === 'sqlite' && generation === this.generation) this.known.set(name, value);
    return value;
  }

  private forget(name: StampName): void {
    this.generation++;
    this.known.delete(name);
  }
}

const key = (name: StampName) => `version:${name}`;
