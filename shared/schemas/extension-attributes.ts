import { Name } from './common.js';
import { z } from './zod.js';

/** Create/replace body of a script-based extension attribute. */
export const ExtensionAttributeInput = z.strictObject({
  name: Name,
  description: z.string().max(1000).default(''),
  dataType: z.enum(['string', 'integer', 'date']).default('string'),
  script: z.string().min(3).max(100_000).refine((s) => s.startsWith('#!'), 'script must start with a shebang line (#!)'),
  enabled: z.boolean().default(true),
}).openapi('ExtensionAttributeInput');

/** An extension attribute as stored. */
export const ExtensionAttribute = ExtensionAttributeInput.extend({
  id: z.number(), createdAt: z.string(), updatedAt: z.string(),
}).openapi('ExtensionAttribute');
