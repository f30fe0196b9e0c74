import { Sequelize, Transaction } from 'sequelize';
import { Umzug, SequelizeStorage } from 'umzug';
import { AsyncMutex } from '../../shared/async-mutex.js';
import type { Logger } from '../../shared/logger.js';
import { MIGRATIONS } from './migrations/index.js';
import { defineAdminModels } from './models/admin.js';
import { defineComputerModels } from './models/computers.js';
import { definePolicyModels } from './models/policies.js';

/** All models of one database. */
export type Models = ReturnType<typeof defineAdminModels> & ReturnType<typeof defineComputerModels> & ReturnType<typeof definePolicyModels>;

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

/** The coordinator's database: models, migrations and serialized write transactions. */
export class Database {
  readonly sequelize: Sequelize;
  readonly models: Models;
  readonly dialect: 'sqlite' | 'postgres';
  /** SQLite allows one writer; serializing in-process keeps waiting writers off libuv's thread pool. */
  private readonly writeLock = new AsyncMutex();

  constructor(opts: DatabaseOptions) {
    const isPg = /^postgres(ql)?:\/\//.test(opts.url);
    this.dialect = isPg ? 'postgres' : 'sqlite';
    const common = {
      logging: opts.onQuery ? (_sql: string, ms?: number) => opts.onQuery!(ms ?? 0) : false,
      benchmark: Boolean(opts.onQuery),
    } as const;
    this.sequelize = isPg
      ? new Sequelize(opts.url, { ...common, dialect: 'postgres', pool: { max: opts.poolMax ?? 10, min: 0, idle: 10_000 } })
      : new Sequelize({ ...common, dialect: 'sqlite', storage: opts.url.replace(/^sqlite:(\/\/)?/, ''), transactionType: Transaction.TYPES.IMMEDIATE });
    if (!isPg) this.tuneSqliteConnections();
    this.models = { ...defineAdminModels(this.sequelize), ...defineComputerModels(this.sequelize), ...definePolicyModels(this.sequelize) };
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

  /** Applies pending migrations. */
  async migrate(): Promise<string[]> {
    const umzug = new Umzug({
      migrations: MIGRATIONS.map((m) => ({ name: m.name, up: m.up, down: m.down })),
      context: this.sequelize.getQueryInterface(),
      storage: new SequelizeStorage({ sequelize: this.sequelize, tableName: 'schema_migrations' }),
      logger: undefined,
    });
    const done = await umzug.up();
    return done.map((m) => m.name);
  }

  /** Runs `fn` in a write transaction (IMMEDIATE on SQLite, serialized in this process). */
  write<T>(fn: (t: Transaction) => Promise<T>): Promise<T> {
    const run = () => this.sequelize.transaction((t) => fn(t));
    return this.dialect === 'sqlite' ? this.writeLock.run(run) : run();
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    await this.sequelize.close();
  }
}

interface SqliteConn {
  configure(option: 'busyTimeout', ms: number): void;
  exec(sql: string, cb: (err: Error | null) => void): void;
}
