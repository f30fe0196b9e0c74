import { QueryTypes, Sequelize, Transaction, UniqueConstraintError, type Model, type ModelStatic } from 'sequelize';
import { Umzug, SequelizeStorage } from 'umzug';
import { AsyncMutex } from '../../shared/async-mutex.js';
import { ConflictError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import { MIGRATIONS } from './migrations/index.js';
import { defineAdminModels } from './models/admin.js';
import { defineComputerModels } from './models/computers.js';
import { defineNodeModels } from './models/nodes.js';
import { definePackageModels } from './models/packages.js';
import { definePolicyModels } from './models/policies.js';
import { defineSegmentModels } from './models/segments.js';
import { RowLookup } from './row-lookup.js';

/** All models of one database. */
export type Models = ReturnType<typeof defineAdminModels> & ReturnType<typeof defineComputerModels> & ReturnType<typeof definePolicyModels>
  & ReturnType<typeof defineNodeModels> & ReturnType<typeof definePackageModels> & ReturnType<typeof defineSegmentModels>;

/** Options for opening the coordinator database. */
export interface DatabaseOptions {
  /** `sqlite:/path/file.sqlite`, a bare file path, or `postgres://…`. */
  url: string;
  poolMax?: number;
  logger?: Logger;
  /** Called with each query's duration in ms (metrics). */
  onQuery?: (ms: number) => void;
}

const SQLITE_BUSY_TIMEOUT_MS = 15_000;
/** Postgres deadlock (40P01) and serialization failure (40001): the transaction is safe to run again. */
const RETRYABLE_PG_CODES = new Set(['40P01', '40001']);
const PG_WRITE_ATTEMPTS = 5;

/** The coordinator's database: models, migrations and serialized write transactions. */
export class Database {
  readonly sequelize: Sequelize;
  readonly models: Models;
  readonly dialect: 'sqlite' | 'postgres';
  /** SQLite allows one writer; serializing in-process keeps waiting writers off libuv's thread pool. */
  private readonly writeLock = new AsyncMutex();
  private readonly lookups: RowLookup<object>[] = [];

  constructor(opts: DatabaseOptions) {
    const isPg = /^postgres(ql)?:\/\//.test(opts.url);
    this.dialect = isPg ? 'postgres' : 'sqlite';
    const common = {
      logging: opts.onQuery ? (_sql: string, ms?: number) => opts.onQuery!(ms ?? 0) : false,
      benchmark: Boolean(opts.onQuery),
    } as const;
    this.sequelize = isPg
      ? new Sequelize(opts.url, { ...common, dialect: 'postgres', pool: { max: Math.max(2, opts.poolMax ?? 10), min: 0, idle: 10_000 } })
      : new Sequelize({ ...common, dialect: 'sqlite', storage: opts.url.replace(/^sqlite:(\/\/)?/, ''), transactionType: Transaction.TYPES.IMMEDIATE });
    if (!isPg) this.tuneSqliteConnections();
    this.models = { ...defineAdminModels(this.sequelize), ...defineComputerModels(this.sequelize), ...definePolicyModels(this.sequelize), ...defineNodeModels(this.sequelize), ...definePackageModels(this.sequelize), ...defineSegmentModels(this.sequelize) };
  }

  /** Every SQLite connection (Sequelize opens one per transaction) gets WAL, a busy timeout and full sync. */
  private tuneSqliteConnections(): void {
    const cm = this.sequelize.connectionManager as unknown as { getConnection(o?: object): Promise<SqliteConn>; connections: Record<string, SqliteConn> };
    const original = cm.getConnection.bind(cm);
    const tuned = new WeakSet<SqliteConn>();
    cm.getConnection = async (o?: object) => {
      const conn = await original(o);
      if (!tuned.has(conn)) {
        tuned.add(conn);
        conn.configure('busyTimeout', SQLITE_BUSY_TIMEOUT_MS);
        await new Promise<void>((resolve, reject) => conn.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;', (e) => (e ? reject(e) : resolve())));
      }
      return conn;
    };
  }

  /** Applies pending migrations (on Postgres under a lock, so coordinators starting together migrate once). */
  async migrate(): Promise<string[]> {
    const umzug = new Umzug({
      migrations: MIGRATIONS.map((m) => ({ name: m.name, up: m.up, down: m.down })),
      context: this.sequelize.getQueryInterface(),
      storage: new SequelizeStorage({ sequelize: this.sequelize, tableName: 'schema_migrations' }),
      logger: undefined,
    });
    if (this.dialect === 'sqlite') return (await umzug.up()).map((m) => m.name);
    // Coordinators starting together on one Postgres take turns; the lock is held by a transaction on its own connection.
    return this.sequelize.transaction(async (t) => {
      await this.lock('schema-migrations', t);
      return (await umzug.up()).map((m) => m.name);
    });
  }

  /**
   * Runs `fn` in a write transaction: IMMEDIATE and serialized in this process on SQLite; on Postgres
   * (several coordinators) re-run after a deadlock or serialization failure. A unique-key violation
   * (two coordinators creating the same name at once) becomes a 409 CONFLICT.
   */
  async write<T>(fn: (t: Transaction) => Promise<T>): Promise<T> {
    const run = () => this.sequelize.transaction((t) => fn(t));
    try {
      if (this.dialect === 'sqlite') return await this.writeLock.run(run);
      for (let attempt = 1; ; attempt++) {
        try {
          return await run();
        } catch (err) {
          if (attempt >= PG_WRITE_ATTEMPTS || !RETRYABLE_PG_CODES.has(pgCode(err) ?? '')) throw err;
          await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
        }
      }
    } catch (err) {
      if (err instanceof UniqueConstraintError) throw new ConflictError(`already exists: ${err.errors.map((e) => e.path).join(', ') || 'duplicate key'}`);
      throw err;
    }
  }

  /**
   * Holds a named lock until the transaction ends (Postgres advisory lock), so coordinators sharing the
   * database take turns on `key`. On SQLite write transactions are already exclusive.
   */
  async lock(key: string, transaction: Transaction): Promise<void> {
    if (this.dialect !== 'postgres') return;
    await this.sequelize.query('SELECT pg_advisory_xact_lock(hashtext(:key))', { replacements: { key }, transaction, type: QueryTypes.SELECT });
  }

  /** A prepared single-row read by `key` for a hot path (see RowLookup); closed with the database. */
  lookup<A extends object>(model: ModelStatic<Model>, key: string, exclude: string[] = []): RowLookup<A> {
    const lookup = new RowLookup<A>(this, model, key, exclude);
    this.lookups.push(lookup);
    return lookup;
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    await Promise.all(this.lookups.map((l) => l.close()));
    await this.sequelize.close();
  }
}

function pgCode(err: unknown): string | undefined {
  const e = err as { parent?: { code?: string }; original?: { code?: string } };
  return e.parent?.code ?? e.original?.code;
}

interface SqliteConn {
  configure(option: 'busyTimeout', ms: number): void;
  exec(sql: string, cb: (err: Error | null) => void): void;
}
