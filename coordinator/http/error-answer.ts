import { ZodError } from 'zod';
import { AppError, RateLimitedError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';

/** What to answer for an error: a status, the `{"error":{"code","message"}}` body and extra headers. */
export interface ErrorAnswer {
  status: number;
  /** Absent when the client already went away (nothing to answer). */
  body?: { error: { code: string; message: string; details?: unknown } };
  headers: Record<string, string>;
}

/** The request an error happened in, for the log. */
export interface FailedRequest { method: string; path: string; aborted: boolean }

/**
 * Maps typed errors (and zod validation errors) to their status and stable code; anything else is
 * logged and answered as an opaque 500, so no internals reach the caller. Both the Koa app and the
 * device routes served without Koa answer errors through this.
 */
export function errorAnswer(err: unknown, logger: Logger, request: FailedRequest): ErrorAnswer {
  if (err instanceof ZodError) {
    return {
      status: 400, headers: {},
      body: { error: { code: 'VALIDATION_FAILED', message: err.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '), details: err.issues.map((i) => ({ path: i.path, message: i.message })) } },
    };
  }
  if (err instanceof AppError) {
    return {
      status: err.status,
      headers: err instanceof RateLimitedError ? { 'Retry-After': String(Math.ceil(err.retryAfterSeconds)) } : {},
      body: { error: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) } },
    };
  }
  if (request.aborted || (err as NodeJS.ErrnoException).code === 'ECONNRESET') {
    // The client went away mid-request: nothing to answer and nothing wrong on our side.
    logger.debug({ method: request.method, path: request.path }, 'client closed the connection');
    return { status: 400, headers: {} };
  }
  logger.error({ err, method: request.method, path: request.path }, 'unhandled error');
  return { status: 500, headers: {}, body: { error: { code: 'INTERNAL', message: 'internal error' } } };
}
