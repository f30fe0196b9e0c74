import { z } from './zod.js';

/** `{"error":{"code","message"}}` body of every error answer. */
export const ErrorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
}).openapi('ErrorResponse');

/** Paging query shared by every list route. */
export const PageQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  perPage: z.coerce.number().int().min(1).max(500).default(50),
});

/** `{"items":[…],"total":N}` wrapper of every list answer. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int() });
}

/** Positive integer id in a route parameter. */
export const IdParam = z.strictObject({ id: z.coerce.number().int().positive() });

/** Short human-entered name (policies, scripts, groups…). */
export const Name = z.string().trim().min(1).max(200);
