import sqlite3 from 'sqlite3';
import { DataTypes, type ModelStatic, type Model } from 'sequelize';
import { RateLimitedError, StateError } from '../../shared/errors.js';
import type { Database } from './database.js';

interface Column { attribute: string; field: string; kind: 'date' | 'boolean' | 'plain' }

/** A row keyed by the model's attribute names, as the database sent it (dates and booleans not yet typed). */
type Raw = Record<string, unknown>;

/** How a lookup reaches the database: a read-only SQLite handle, or a pooled Postgres client. Returns the rows whose key is among `keys`. */
interface Runner { rows(keys: readonly (string | number)[]): Promise<Raw[]>; close(): Promise<void> }

/** Keys one query asks for at most; statements are prepared for these list lengths (a shorter batch repeats its last key). */
const BATCH_SIZES = [1, 4, 16, 64] as const;
const MAX_BATCH = BATCH_SIZES[BATCH_SIZES.length - 1];

interface Waiter { resolve(row: Raw | undefined): void; reject(err: unknown): void }

/**
 * A prepared single-row `SELECT … WHERE <key> = ?` that skips Sequelize's per-query work (instance
 * building, option cloning, stack capture): about 30× less CPU, for the one read every device check-in
 * makes. Lookups asked for in the same turn of the event loop go to the database as one
 * `WHERE <key> IN (…)` query: under load (a check-in wave) that costs a fifth of the CPU per row that
 * one query per row does. SQLite reads on its own read-only connection (WAL: it sees every committed
 * write, never blocks the writer) and returns each row as one `json_object(…)` text keyed by attribute
 * name: node-sqlite3 builds a JS object per row with a property set per column, which costs twice the
 * CPU of one string and a JSON.parse. Postgres uses a named prepared statement on a pooled client, its
 * columns aliased to the attribute names. Rows come back as plain objects typed like the model's
 * (dates as Date, booleans as boolean).
 */
export class RowLookup<A extends object> {
  /** Columns whose values need typing after the database (dates, booleans). */
  private readonly typedColumns: Column[];
  private readonly key: string;
  private readonly open: () => Runner;
  private runner?: Runner;
  private closed = false;
  /** Lookups waiting for the next batch, by key. */
  private pending = new Map<string | number, Waiter[]>();
  private scheduled = false;

  constructor(db: Database, model: ModelStatic<Model>, key: string, exclude: string[] = []) {
    const attributes = model.getAttributes() as Record<string, { field?: string; type: unknown }>;
    const columns = Object.entries(attributes)
      .filter(([name]) => !exclude.includes(name))
      .map(([attribute, def]): Column => ({ attribute, field: def.field ?? attribute, kind: columnKind(def.type) }));
    const keyColumn = columns.find((c) => c.attribute === key);
    if (!keyColumn) throw new StateError('LOOKUP_KEY_NOT_SELECTED', `the lookup key ${key} must be a selected attribute of ${model.name}`);
    for (const c of columns) if (!/^\w+$/.test(c.attribute) || !/^\w+$/.test(c.field)) throw new StateError('LOOKUP_BAD_NAME', `${model.name}.${c.attribute} is not a plain identifier`);
    this.typedColumns = columns.filter((c) => c.kind !== 'plain');
    this.key = key;
    const from = `FROM "${model.getTableName() as string}" WHERE "${keyColumn.field}"`;
    const asJson = columns.map((c) => `'${c.attribute}', "${c.field}"`).join(', ');
    const aliased = columns.map((c) => `"${c.field}" AS "${c.attribute}"`).join(', ');
    // Opened on first use: the SQLite file exists only once migrations ran.
    this.open = () => db.dialect === 'sqlite'
      ? sqliteRunner(db, `SELECT json_object(${asJson}) AS r ${from}`)
      : postgresRunner(db, `SELECT ${aliased} ${from} = ANY($1)`, `homing_lookup_${model.name}_${key}`);
  }

  /** The row whose key column equals `key`, or undefined. */
  get(key: string | number): Promise<A | undefined> {
    return new Promise<Raw | undefined>((resolve, reject) => {
      const waiters = this.pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        // After this turn's I/O callbacks: every lookup asked for meanwhile joins the batch.
        setImmediate(() => this.flush());
      }
    }).then((raw) => (raw ? this.typed(raw) : undefined));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.runner?.close();
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = new Map();
    const keys = [...batch.keys()];
    for (let i = 0; i < keys.length; i += MAX_BATCH) void this.fetch(keys.slice(i, i + MAX_BATCH), batch);
  }

  private async fetch(keys: (string | number)[], waiting: Map<string | number, Waiter[]>): Promise<void> {
    try {
      // Requests still arriving while the coordinator stops are told to come back, not failed against a closed handle.
      if (this.closed) throw new RateLimitedError('the coordinator is shutting down; retry later', 30, 503);
      this.runner ??= this.open();
      const byKey = new Map<string, Raw>();
      for (const row of await this.runner.rows(keys)) byKey.set(String(row[this.key]), row);
      for (const key of keys) {
        const row = byKey.get(String(key));
        // Each caller gets its own object: one that changes its row changes nobody else's.
        waiting.get(key)!.forEach((w, i) => w.resolve(row && i > 0 ? { ...row } : row));
      }
    } catch (err) {
      for (const key of keys) for (const w of waiting.get(key)!) w.reject(err);
    }
  }

  /** Types the row's dates and booleans in place (SQLite sends them as text and integers). */
  private typed(row: Raw): A {
    for (const c of this.typedColumns) {
      const v = row[c.attribute];
      row[c.attribute] = v === null || v === undefined ? null : c.kind === 'date' ? (v instanceof Date ? v : new Date(v as string)) : Boolean(v);
    }
    return row as A;
  }

}

function columnKind(type: unknown): Column['kind'] {
  if (type instanceof DataTypes.DATE) return 'date';
  if (type instanceof DataTypes.BOOLEAN) return 'boolean';
  return 'plain';
}

function sqliteRunner(db: Database, select: string): Runner {
  const storage = (db.sequelize as unknown as { options: { storage: string } }).options.storage;
  const handle = new sqlite3.Database(storage, sqlite3.OPEN_READONLY);
  handle.configure('busyTimeout', 15_000);
  const statements = new Map<number, sqlite3.Statement>();
  return {
    rows: (keys) => {
      const size = BATCH_SIZES.find((n) => n >= keys.length)!;
      let statement = statements.get(size);
      if (!statement) statements.set(size, statement = handle.prepare(`${select} IN (${Array(size).fill('?').join(', ')})`));
      const params = Array.from({ length: size }, (_, i) => keys[Math.min(i, keys.length - 1)]);
      return new Promise((resolve, reject) => {
        statement.all(params, (err: Error | null, rows: { r: string }[]) => (err ? reject(err) : resolve(rows.map((row) => JSON.parse(row.r) as Raw))));
      });
    },
    close: async () => {
      await Promise.all([...statements.values()].map((st) => new Promise<void>((resolve) => st.finalize(() => resolve()))));
      await new Promise<void>((resolve) => handle.close(() => resolve()));
    },
  };
}

interface PgClient { query(q: { name: string; text: string; values: unknown[] }): Promise<{ rows: Raw[] }> }
interface PoolManager { getConnection(o: { type: 'read' }): Promise<PgClient>; releaseConnection(c: PgClient): Promise<void> }

function postgresRunner(db: Database, text: string, name: string): Runner {
  const pool = db.sequelize.connectionManager as unknown as PoolManager;
  return {
    async rows(keys) {
      const client = await pool.getConnection({ type: 'read' });
      try {
        return (await client.query({ name, text, values: [keys] })).rows;
      } finally {
        await pool.releaseConnection(client);
      }
    },
    close: async () => {},
  };
}
