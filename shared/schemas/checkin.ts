import { BundlePolicy } from './bundle-policy.js';
import { AccountName } from './management-payloads.js';
import { DistributionSource } from './segment.js';
import { Trigger as PolicyTrigger } from './policy.js';
import { z } from './zod.js';

/** Why the agent is checking in (the same triggers policies name). */
export const Trigger = PolicyTrigger;

/** Device check-in. */
export const CheckinRequest = z.strictObject({
  trigger: Trigger.default('checkin'),
  etag: z.string().max(100).optional(),
}).openapi('CheckinRequest');

/** An extension attribute as delivered to agents. */
export const BundleExtensionAttribute = z.object({ name: z.string(), script: z.string() });

/** The per-device bundle, signed with the coordinator's online key. */
export const Bundle = z.object({
  computerUuid: z.string(),
  checkinIntervalSeconds: z.number().int(),
  inventoryIntervalSeconds: z.number().int(),
  extensionAttributes: z.array(BundleExtensionAttribute),
  /** The computer's name as the coordinator knows it ($2 of policy scripts). */
  computerName: z.string().default(''),
  /** Policies in scope for this computer, payloads in run order. */
  policies: z.array(BundlePolicy).default([]),
  /** Where to GET package chunks, in order: the segment's nodes, neighbours' nodes, other nodes, the origin. */
  distribution: z.array(DistributionSource).default([]),
}).openapi('Bundle');
export type Bundle = z.infer<typeof Bundle>;

// An admin viewed this account's escrowed password: the agent rotates it now (LAPS).
const rotatePassword = AccountName.optional();

/** Check-in answer: a tiny not-modified, or the signed bundle. */
export const CheckinResponse = z.discriminatedUnion('status', [
  z.object({ status: z.literal('not-modified'), nextCheckinSeconds: z.number(), inventoryDue: z.boolean(), rotatePassword }),
  z.object({
    status: z.literal('modified'), nextCheckinSeconds: z.number(), inventoryDue: z.boolean(), rotatePassword,
    etag: z.string(), bundle: Bundle, signature: z.string(),
  }),
]).openapi('CheckinResponse');
export type CheckinResponse = z.infer<typeof CheckinResponse>;
