import { z } from './zod.js';
import { Name } from './common.js';

const Id = z.number().int().positive();
const Brackets = z.number().int().min(0).max(10);

/** Comparison of a smart-group criterion. */
export const CriterionOperator = z.enum([
  'is', 'is not', 'like', 'not like', 'greater', 'less', 'matches regex', 'member of', 'not member of',
]).openapi('CriterionOperator');
export type CriterionOperator = z.infer<typeof CriterionOperator>;

/** One line of Jamf-style smart-group criteria: `join open×"(" field operator value close×")"`. */
export const Criterion = z.strictObject({
  join: z.enum(['and', 'or']).default('and').openapi({ description: 'ignored on the first criterion' }),
  open: Brackets.default(0),
  field: z.string().min(1).max(200),
  operator: CriterionOperator,
  value: z.string().max(1024).default('').openapi({ description: 'for member of / not member of: a group id' }),
  close: Brackets.default(0),
}).openapi('Criterion');
export type Criterion = z.infer<typeof Criterion>;

const Criteria = z.array(Criterion).max(100);
const ComputerIds = z.array(Id).max(100_000);

const StaticGroupInput = z.strictObject({ kind: z.literal('static'), name: Name, computerIds: ComputerIds.default([]) });
const SmartGroupInput = z.strictObject({ kind: z.literal('smart'), name: Name, criteria: Criteria.default([]) });

/** Body of `POST /api/v1/groups` and `PUT /api/v1/groups/:id`; also re-validates a patched group. */
export const GroupInput = z.discriminatedUnion('kind', [StaticGroupInput, SmartGroupInput]).openapi('GroupInput');
export type GroupInput = z.infer<typeof GroupInput>;

/** Body of `PATCH /api/v1/groups/:id` (the kind is fixed): merge onto the stored group, then re-parse with `GroupInput`. */
export const GroupPatch = z.strictObject({ name: Name, computerIds: ComputerIds, criteria: Criteria })
  .partial().openapi('GroupPatch');
export type GroupPatch = z.infer<typeof GroupPatch>;

/** A stored group as the API returns it. */
export const Group = z.discriminatedUnion('kind', [
  StaticGroupInput.extend({ id: Id }),
  SmartGroupInput.extend({ id: Id }),
]).openapi('Group');
export type Group = z.infer<typeof Group>;

/** Body of `POST /api/v1/groups/preview`: criteria being edited, and the group they belong to when it exists. */
export const GroupPreviewInput = z.strictObject({
  criteria: Criteria,
  /** The group being edited: its stored criteria are replaced by these for the check (cycles through itself). */
  groupId: Id.optional(),
}).openapi('GroupPreviewInput');
export type GroupPreviewInput = z.infer<typeof GroupPreviewInput>;

/** How many computers the criteria match now, out of how many, and the first few of them by name. */
export const GroupPreview = z.object({
  count: z.number().int(),
  total: z.number().int(),
  sample: z.array(z.object({ id: Id, name: z.string() })),
}).openapi('GroupPreview');
export type GroupPreview = z.infer<typeof GroupPreview>;
