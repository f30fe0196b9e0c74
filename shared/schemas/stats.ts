import { z } from './zod.js';

/** Query of the dashboard statistics: how many hours back (check-ins keep one day). */
export const StatsQuery = z.strictObject({ hours: z.coerce.number().int().min(1).max(24).default(3) });

/** Check-ins per minute, oldest first, starting at `start`. */
export const CheckinSeries = z.object({
  start: z.string(), stepSeconds: z.number().int(), counts: z.array(z.number().int()),
}).openapi('CheckinSeries');
export type CheckinSeries = z.infer<typeof CheckinSeries>;

/** Fleet figures for the dashboard: computers by state and policy runs by outcome since `since`. */
export const StatsSummary = z.object({
  since: z.string(),
  computers: z.object({ managed: z.number().int(), unmanaged: z.number().int(), checkedInSince: z.number().int() }),
  policyRuns: z.array(z.object({ policyId: z.number().int(), policyName: z.string(), success: z.number().int(), failed: z.number().int() })),
}).openapi('StatsSummary');
export type StatsSummary = z.infer<typeof StatsSummary>;
