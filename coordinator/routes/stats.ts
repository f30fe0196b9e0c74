import { CheckinSeries, StatsQuery, StatsSummary } from '../../shared/schemas/stats.js';
import { route } from '../http/define-route.js';
import type { StatsService } from '../services/stats-service.js';

/** Dashboard statistics for the admin UI. */
export function statsRoutes(stats: StatsService) {
  return [
    route({
      method: 'get', path: '/api/v1/stats/checkins', access: 'read', tag: 'stats', summary: 'Check-ins per minute over the last hours (this process, kept in memory)',
      query: StatsQuery, response: CheckinSeries,
      handler: async ({ query }) => stats.checkinSeries(query.hours),
    }),
    route({
      method: 'get', path: '/api/v1/stats/summary', access: 'read', tag: 'stats', summary: 'Computers by state and policy run outcomes over the last hours',
      query: StatsQuery, response: StatsSummary,
      handler: ({ query }) => stats.summary(query.hours),
    }),
  ];
}
