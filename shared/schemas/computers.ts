import { PageQuery } from './common.js';
import { PolicyHistoryEntry } from './policy-views.js';
import { z } from './zod.js';

/** Fields the computer list may be sorted by (an allowlist; nothing else reaches SQL). */
export const COMPUTER_SORT_FIELDS = ['id', 'name', 'serial', 'model', 'osVersion', 'ipAddress', 'lastCheckinAt', 'enrolledAt'] as const;

/** Query of `GET /api/v1/computers`. */
export const ComputerListQuery = PageQuery.extend({
  q: z.string().max(200).optional(),
  sort: z.enum(COMPUTER_SORT_FIELDS).default('id'),
  order: z.enum(['asc', 'desc']).default('asc'),
  status: z.enum(['managed', 'unmanaged']).optional(),
});

/** A computer in lists. */
export const ComputerSummary = z.object({
  id: z.number(), uuid: z.string(), name: z.string(), serial: z.string(), model: z.string(),
  osName: z.string(), osVersion: z.string(), ipAddress: z.string(), username: z.string(),
  status: z.enum(['managed', 'unmanaged']), lastCheckinAt: z.string().nullable(), lastInventoryAt: z.string().nullable(),
  enrolledAt: z.string(), checkinCount: z.number(),
}).openapi('ComputerSummary');

/** A computer with full inventory and history. */
export const ComputerDetail = ComputerSummary.extend({
  certificateNotAfter: z.string(),
  checkinIntervalSeconds: z.number(),
  inventory: z.unknown().nullable(),
  history: z.array(z.object({ at: z.string(), kind: z.string(), summary: z.string() })),
  /** Policy runs on this computer, newest first. */
  policyHistory: z.array(PolicyHistoryEntry),
}).openapi('ComputerDetail');
