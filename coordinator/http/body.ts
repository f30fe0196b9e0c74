import type { Context } from 'koa';
import { MalformedBodyError, PayloadTooLargeError } from '../../shared/errors.js';
import { safeJsonParse } from '../../shared/json.js';

/** Default cap for JSON request bodies. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Reads and parses a JSON request body, enforcing `limit` before buffering and refusing `__proto__` keys. */
export async function readJsonBody(ctx: Context, limit = DEFAULT_BODY_LIMIT): Promise<unknown> {
  const type = ctx.request.type;
  if (type !== 'application/json') throw new MalformedBodyError('content-type must be application/json');
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > limit) throw new PayloadTooLargeError(limit);
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new PayloadTooLargeError(limit);
    parts.push(chunk);
  }
  if (size === 0) throw new MalformedBodyError('request body is empty');
  return safeJsonParse(Buffer.concat(parts, size).toString('utf8'));
}
