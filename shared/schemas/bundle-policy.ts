import { ManagementPayloads } from './management-payloads.js';
import { ClientLimits, Frequency, Trigger } from './policy.js';
import { z } from './zod.js';

const Id = z.number().int().positive();

/** A script as the agent runs it: inline content, its timeout and the resolved parameters $4–$11. */
export const BundleScript = z.object({
  scriptId: Id,
  name: z.string(),
  content: z.string(),
  timeoutSeconds: z.number().int().positive(),
  /** Always 8 entries ($4–$11); secret ones travel to the script in the environment, never in argv. */
  parameters: z.array(z.object({ index: z.number().int().min(4).max(11), value: z.string(), secret: z.boolean() })),
}).openapi('BundleScript');
export type BundleScript = z.infer<typeof BundleScript>;

/** One payload of a policy in the order the agent applies it. */
export const BundlePayload = z.discriminatedUnion('type', [
  z.object({ type: z.literal('script'), priority: z.enum(['before', 'after']), script: BundleScript }),
  z.object({
    type: z.literal('package'), packageId: Id, action: z.enum(['install', 'cache', 'install-cached', 'uninstall']),
    priority: z.number().int(),
    /** Munki-style install check: exit 0 means "already installed", so the item is skipped. */
    installCheck: BundleScript.nullable(),
  }),
  z.object({ type: z.literal('inventory') }),
  ...ManagementPayloads,
]).openapi('BundlePayload');
export type BundlePayload = z.infer<typeof BundlePayload>;

/** A past run of a policy on this computer, for frequency decisions on the agent. */
export const BundleRunLog = z.object({
  key: z.string(),
  at: z.number().int(),
  status: z.enum(['success', 'failed']),
  user: z.string().nullable(),
}).openapi('BundleRunLog');
export type BundleRunLog = z.infer<typeof BundleRunLog>;

/** A policy in scope for this computer (enabled, inside its activation window, not excluded). */
export const BundlePolicy = z.object({
  id: Id,
  name: z.string(),
  triggers: z.array(Trigger),
  frequency: Frequency,
  retries: z.number().int().min(0),
  clientLimits: ClientLimits.nullable(),
  payloads: z.array(BundlePayload),
  /** Offered in Self Service. */
  selfService: z.boolean().default(false),
  /** This computer's recent unflushed runs of the policy, newest first. */
  history: z.array(BundleRunLog),
}).openapi('BundlePolicy');
export type BundlePolicy = z.infer<typeof BundlePolicy>;
