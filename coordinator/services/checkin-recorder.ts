import { literal } from 'sequelize';
import type { Logger } from '../../shared/logger.js';
import type { Database } from '../db/database.js';
import { MinuteCounter } from './minute-counter.js';

/**
 * Batches "last seen" updates: thousands of check-ins a second become one write transaction per
 * flush. At most one flush interval of last-seen times is lost if the process is killed; nothing
 * an agent relies on is.
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
          for (const [id, v] of [...batch].sort((a, b) => a[0] - b[0])) {
            await this.db.models.Computer.update(
              { lastCheckinAt: v.at, ipAddress: v.ip, checkinCount: literal(`checkin_count + ${v.count}`) as unknown as number },
              { where: { id }, transaction },
            );
          }
        });
      } catch (err) {
        this.logger.error({ err, computers: batch.size }, 'could not record check-ins; will retry');
        for (const [id, v] of batch) if (!this.pending.has(id)) this.pending.set(id, v);
      }
    });
    return this.flushing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
