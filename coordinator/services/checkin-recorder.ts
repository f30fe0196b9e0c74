import { QueryTypes, type Transaction } from 'sequelize';
import type { Logger } from '../../shared/logger.js';
import type { Database } from '../db/database.js';
import { MinuteCounter } from './minute-counter.js';

/** Computers updated by one statement. */
const ROWS_PER_STATEMENT = 500;

/**
 * Batches "last seen" updates: thousands of check-ins a second become one write transaction per
 * flush, with one UPDATE statement per 500 computers. At most one flush interval of last-seen times is
 * lost if the process is killed; nothing an agent relies on is.
 */
export class CheckinRecorder {
  private pending = new Map<number, { at: Date; ip: string; count: number }>();
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  /** Check-ins per minute over the last day, in memory (this process only; the dashboard chart). */
  readonly perMinute = new MinuteCounter();

  constructor(private readonly db: Database, private readonly logger: Logger, private readonly intervalMs = 1000) {}

  /** Notes one check-in. */
  record(computerId: number, at: Date, ip: string): void {
    this.perMinute.add(at.getTime());
    const prev = this.pending.get(computerId);
    this.pending.set(computerId, { at, ip, count: (prev?.count ?? 0) + 1 });
  }

  start(): void {
    this.timer = setInterval(() => { void this.flush(); }, this.intervalMs);
    this.timer.unref();
  }

  /** Writes everything recorded so far. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (!this.pending.size) return;
      const batch = this.pending;
      this.pending = new Map();
      try {
        await this.db.write(async (transaction) => {
          // Ascending ids: coordinators flushing overlapping batches lock rows in one order (no deadlock).
          const rows = [...batch].sort((a, b) => a[0] - b[0]);
          for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await this.update(rows.slice(i, i + ROWS_PER_STATEMENT), transaction);
        });
      } catch (err) {
        this.logger.error({ err, computers: batch.size }, 'could not record check-ins; will retry');
        for (const [id, v] of batch) if (!this.pending.has(id)) this.pending.set(id, v);
      }
    });
    return this.flushing;
  }

  /**
   * One statement for many computers (a Sequelize update per computer cost ~0.15 ms each). Values are
   * escaped by Sequelize for the dialect, dates in the form it stores them.
   */
  private async update(rows: [number, { at: Date; ip: string; count: number }][], transaction: Transaction): Promise<void> {
    const { sequelize, dialect } = this.db;
    const values = rows.map(([id, v]) => `(${Math.trunc(id)}, ${sequelize.escape(v.at)}, ${sequelize.escape(v.ip)}, ${Math.trunc(v.count)})`).join(', ');
    const at = dialect === 'postgres' ? 'CAST(v.at AS timestamptz)' : 'v.at';
    await sequelize.query(
      `WITH v(id, at, ip, n) AS (VALUES ${values}) `
      + `UPDATE computers SET last_checkin_at = ${at}, ip_address = v.ip, checkin_count = checkin_count + v.n FROM v WHERE computers.id = v.id`,
      { type: QueryTypes.UPDATE, transaction },
    );
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
