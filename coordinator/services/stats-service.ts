import { col, fn, Op } from 'sequelize';
import type { Clock } from '../../shared/clock.js';
import type { CheckinSeries, StatsSummary } from '../../shared/schemas/stats.js';
import type { Database } from '../db/database.js';
import type { MinuteCounter } from './minute-counter.js';

const HOUR_MS = 3_600_000;

/** Cheap dashboard figures: in-memory check-in rates and grouped counts over indexed columns. */
export class StatsService {
  constructor(private readonly db: Database, private readonly clock: Clock, private readonly checkins: MinuteCounter) {}

  /** Check-ins per minute over the last `hours` (this coordinator process). */
  checkinSeries(hours: number): CheckinSeries {
    const { startMs, counts } = this.checkins.series(this.clock.now(), hours * 60);
    return { start: new Date(startMs).toISOString(), stepSeconds: 60, counts };
  }

  /** Computers by state and per-policy run outcomes over the last `hours`. */
  async summary(hours: number): Promise<StatsSummary> {
    const { Computer, PolicyLog, Policy } = this.db.models;
    const since = new Date(this.clock.now() - hours * HOUR_MS);
    const [managed, unmanaged, checkedInSince, runs] = await Promise.all([
      Computer.count({ where: { status: 'managed' } }),
      Computer.count({ where: { status: 'unmanaged' } }),
      Computer.count({ where: { status: 'managed', lastCheckinAt: { [Op.gte]: since } } }),
      PolicyLog.findAll({
        attributes: ['policyId', 'status', [fn('COUNT', col('id')), 'n']],
        where: { finishedAt: { [Op.gte]: since } }, group: ['policyId', 'status'], raw: true,
      }) as unknown as Promise<{ policyId: number; status: 'success' | 'failed'; n: number | string }[]>,
    ]);
    const byPolicy = new Map<number, { success: number; failed: number }>();
    for (const r of runs) {
      const entry = byPolicy.get(r.policyId) ?? { success: 0, failed: 0 };
      entry[r.status] += Number(r.n);
      byPolicy.set(r.policyId, entry);
    }
    const names = await Policy.findAll({ attributes: ['id', 'name'], where: { id: [...byPolicy.keys()] } });
    const nameOf = new Map(names.map((p) => [p.id, p.name]));
    return {
      since: since.toISOString(),
      computers: { managed, unmanaged, checkedInSince },
      policyRuns: [...byPolicy].map(([policyId, v]) => ({ policyId, policyName: nameOf.get(policyId) ?? `#${policyId}`, ...v }))
        .sort((a, b) => a.policyName.localeCompare(b.policyName)),
    };
  }
}
