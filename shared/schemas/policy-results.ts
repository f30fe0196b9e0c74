import { MANAGEMENT_PAYLOAD_TYPES } from './management-payloads.js';
import { Trigger } from './policy.js';
import { z } from './zod.js';

/** Most characters of one item's output the agent sends and the coordinator stores. */
export const MAX_ITEM_OUTPUT = 65_536;

/** Outcome of one payload of a policy run. */
export const PolicyItemResult = z.strictObject({
  index: z.number().int().min(0).max(100),
  type: z.enum(['script', 'package', 'inventory', ...MANAGEMENT_PAYLOAD_TYPES]),
  status: z.enum(['success', 'failed', 'skipped']),
  message: z.string().max(2000),
  exitCode: z.number().int().nullable().default(null),
  output: z.string().max(MAX_ITEM_OUTPUT + 200).default(''),
}).openapi('PolicyItemResult');
export type PolicyItemResult = z.infer<typeof PolicyItemResult>;

/** The trigger recorded for runs a user started from Self Service. */
export const SELF_SERVICE_TRIGGER = 'self-service';

/** One policy run as the agent reports it; the idempotency key makes re-sending harmless. */
export const PolicyResult = z.strictObject({
  idempotencyKey: z.string().regex(/^[A-Za-z0-9_-]{16,100}$/, 'idempotency key: 16–100 of A-Z a-z 0-9 _ -'),
  policyId: z.number().int().positive(),
  /** The trigger, or `self-service` when a user ran it from Self Service. */
  trigger: z.union([Trigger, z.literal(SELF_SERVICE_TRIGGER)]),
  username: z.string().max(255).nullable(),
  status: z.enum(['success', 'failed']),
  startedAt: z.number().int().min(0),
  finishedAt: z.number().int().min(0),
  items: z.array(PolicyItemResult).max(100),
}).openapi('PolicyResult');
export type PolicyResult = z.infer<typeof PolicyResult>;

/** Body of `POST /device/v1/computers/:id/policy-results`. */
export const PolicyResultsRequest = z.strictObject({ results: z.array(PolicyResult).min(1).max(50) }).openapi('PolicyResultsRequest');

/** Answer: newly stored, already known (same key) and ignored (policy deleted meanwhile). */
export const PolicyResultsResponse = z.object({
  accepted: z.number().int(), duplicates: z.number().int(), ignored: z.number().int(),
}).openapi('PolicyResultsResponse');
export type PolicyResultsResponse = z.infer<typeof PolicyResultsResponse>;
