import { z } from './zod.js';
import { Name } from './common.js';
import { ManagementPayloads } from './management-payloads.js';

const Id = z.number().int().positive();
const Ids = z.array(Id).max(10_000);
const UtcTimestamp = z.iso.datetime({ message: 'must be an ISO 8601 UTC timestamp, e.g. 2026-01-01T00:00:00Z' });

/** Events that run a policy: built-in triggers, or `custom:NAME` (run with `homing agent policy --event NAME`). */
export const Trigger = z.string().regex(
  /^(checkin|startup|login|logout|network|enrollment|custom:[A-Za-z0-9._-]{1,100})$/,
  'unknown trigger: use checkin, startup, login, logout, network, enrollment or custom:NAME',
).openapi('PolicyTrigger');
export type Trigger = z.infer<typeof Trigger>;

/** How often a policy may run on a computer (Jamf's execution frequencies). */
export const Frequency = z.enum([
  'once-per-computer', 'once-per-user-per-computer', 'once-per-user', 'daily', 'weekly', 'monthly', 'ongoing',
]).openapi('PolicyFrequency');
export type Frequency = z.infer<typeof Frequency>;

const Targets = { computers: Ids.default([]), groups: Ids.default([]), segments: Ids.default([]) };

/** Who a policy targets; exclusions win over targets. */
export const PolicyScope = z.strictObject({
  all: z.boolean().default(false),
  ...Targets,
  exclusions: z.strictObject(Targets).default({ computers: [], groups: [], segments: [] }),
}).openapi('PolicyScope');
export type PolicyScope = z.infer<typeof PolicyScope>;

/** Install, cache, install a cached copy of, or remove a package; lower `priority` runs first. */
const PackagePayload = z.strictObject({
  type: z.literal('package'),
  packageId: Id,
  action: z.enum(['install', 'cache', 'install-cached', 'uninstall']).default('install'),
  priority: z.number().int().min(1).max(20).default(10),
  // Munki-style install check: the script exiting 0 means "already installed", so the item is skipped.
  installCheckScriptId: Id.nullable().default(null),
});

/** One script parameter ($4–$11): a plain value, or one marked secret (kept out of argv, logs and output). */
export const ScriptParameter = z.union([
  z.string().max(4096),
  z.strictObject({ value: z.string().max(4096), secret: z.boolean() }),
]);
export type ScriptParameter = z.infer<typeof ScriptParameter>;

/** Run a script before or after the packages, with up to 8 parameters ($4–$11). */
const ScriptPayload = z.strictObject({
  type: z.literal('script'),
  scriptId: Id,
  priority: z.enum(['before', 'after']).default('after'),
  parameters: z.array(ScriptParameter).max(8, 'at most 8 parameters ($4–$11)').default([]),
});

/** Submit a full inventory report at the end of the run. */
const InventoryPayload = z.strictObject({ type: z.literal('inventory') });

/** One item of a policy run. */
export const Payload = z.discriminatedUnion('type', [PackagePayload, ScriptPayload, InventoryPayload, ...ManagementPayloads])
  .openapi('PolicyPayload');
export type Payload = z.infer<typeof Payload>;

const Weekday = z.enum(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']);
const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time must be HH:MM (24-hour)');

/** Client-side limits in the client's local time; a window whose end is before its start crosses midnight. */
export const ClientLimits = z.strictObject({
  daysOfWeek: z.array(Weekday).min(1).max(7).default(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']),
  startTime: TimeOfDay.nullable().default(null),
  endTime: TimeOfDay.nullable().default(null),
}).superRefine((v, ctx) => {
  if (new Set(v.daysOfWeek).size !== v.daysOfWeek.length) {
    ctx.addIssue({ code: 'custom', path: ['daysOfWeek'], message: 'days must not repeat' });
  }
  if ((v.startTime === null) !== (v.endTime === null)) {
    ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'startTime and endTime go together' });
  } else if (v.startTime !== null && v.startTime === v.endTime) {
    ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'endTime must differ from startTime' });
  }
}).openapi('PolicyClientLimits');
export type ClientLimits = z.infer<typeof ClientLimits>;

// Without defaults: a patch must not reset omitted fields.
const PolicyFields = {
  name: Name,
  enabled: z.boolean(),
  triggers: z.array(Trigger).min(1).max(20),
  frequency: Frequency,
  scope: PolicyScope,
  payloads: z.array(Payload).max(100),
  retries: z.number().int().min(0).max(10),
  activeFrom: UtcTimestamp.nullable(),
  activeUntil: UtcTimestamp.nullable(),
  clientLimits: ClientLimits.nullable(),
  /** Offered in Self Service: users run it with `homing agent self-service run NAME`. */
  selfService: z.boolean(),
};

const PolicyObject = z.strictObject({
  ...PolicyFields,
  enabled: PolicyFields.enabled.default(true),
  triggers: PolicyFields.triggers.default(['checkin']),
  frequency: PolicyFields.frequency.default('once-per-computer'),
  scope: PolicyFields.scope.default({
    all: false, computers: [], groups: [], segments: [], exclusions: { computers: [], groups: [], segments: [] },
  }),
  payloads: PolicyFields.payloads.default([]),
  retries: PolicyFields.retries.default(0),
  activeFrom: PolicyFields.activeFrom.default(null),
  activeUntil: PolicyFields.activeUntil.default(null),
  clientLimits: PolicyFields.clientLimits.default(null),
  selfService: PolicyFields.selfService.default(false),
});

/** Body of `POST /api/v1/policies` and `PUT /api/v1/policies/:id`; also re-validates a patched policy. */
export const PolicyInput = PolicyObject.superRefine((p, ctx) => {
  if (new Set(p.triggers).size !== p.triggers.length) {
    ctx.addIssue({ code: 'custom', path: ['triggers'], message: 'triggers must not repeat' });
  }
  if (p.retries > 0 && p.frequency !== 'once-per-computer') {
    ctx.addIssue({ code: 'custom', path: ['retries'], message: 'retries apply only to once-per-computer policies' });
  }
  if (p.activeFrom !== null && p.activeUntil !== null && Date.parse(p.activeFrom) >= Date.parse(p.activeUntil)) {
    ctx.addIssue({ code: 'custom', path: ['activeUntil'], message: 'activeUntil must be after activeFrom' });
  }
  if (p.payloads.filter((x) => x.type === 'inventory').length > 1) {
    ctx.addIssue({ code: 'custom', path: ['payloads'], message: 'at most one inventory payload' });
  }
  if (p.payloads.filter((x) => x.type === 'restart').length > 1) {
    ctx.addIssue({ code: 'custom', path: ['payloads'], message: 'at most one restart payload' });
  }
}).openapi('PolicyInput');
export type PolicyInput = z.infer<typeof PolicyInput>;

/** Body of `PATCH /api/v1/policies/:id`: merge onto the stored policy, then re-parse with `PolicyInput`. */
export const PolicyPatch = z.strictObject(PolicyFields).partial().openapi('PolicyPatch');
export type PolicyPatch = z.infer<typeof PolicyPatch>;

/** A stored policy as the API returns it. */
export const Policy = PolicyObject.extend({ id: Id }).openapi('Policy');
export type Policy = z.infer<typeof Policy>;
