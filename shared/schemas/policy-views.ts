import { Group } from './group.js';
import { PolicyItemResult } from './policy-results.js';
import { DistributionExplanation } from './segment.js';
import { z } from './zod.js';

/** A group as the admin API returns it, with its current member count. */
export const GroupView = z.intersection(Group, z.object({ memberCount: z.number().int() })).openapi('GroupView');

/** One stored policy run. */
export const PolicyLogEntry = z.object({
  id: z.number().int(), policyId: z.number().int(), computerId: z.number().int(), trigger: z.string(),
  username: z.string().nullable(), status: z.enum(['success', 'failed']), startedAt: z.string(), finishedAt: z.string(),
  flushed: z.boolean(), items: z.array(PolicyItemResult),
}).openapi('PolicyLogEntry');

/** A computer's policy history line (in `GET /api/v1/computers/:id`). */
export const PolicyHistoryEntry = z.object({
  policyId: z.number().int(), policyName: z.string(), trigger: z.string(), username: z.string().nullable(),
  status: z.enum(['success', 'failed']), finishedAt: z.string(), flushed: z.boolean(),
}).openapi('PolicyHistoryEntry');

/** Query of the flush routes: one policy only, or all of them. */
export const FlushQuery = z.strictObject({ policyId: z.coerce.number().int().positive().optional() });

/** Answer of the flush routes. */
export const FlushResponse = z.object({ flushed: z.number().int() }).openapi('FlushResponse');

/** `GET /api/v1/computers/:id/explain`: the computer's groups and, for each policy, in or out of scope and why. */
export const Explanation = z.object({
  computerId: z.number().int(),
  groups: z.array(z.object({ id: z.number().int(), name: z.string() })),
  policies: z.array(z.object({ id: z.number().int(), name: z.string(), inScope: z.boolean(), reason: z.string() })),
  /** The computer's network segment and its distribution chain, with why each source is there or left out. */
  distribution: DistributionExplanation,
}).openapi('Explanation');
