import type { Middleware } from 'koa';
import type { Logger } from '../../shared/logger.js';
import { errorAnswer } from './error-answer.js';

/** Answers thrown errors as `{"error":{"code","message"}}` (see errorAnswer) and unmatched routes as 404/405 in the same shape. */
export function errorHandler(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = { error: { code: 'NOT_FOUND', message: `no route for ${ctx.method} ${ctx.path}` } };
      } else if (ctx.status === 405 && ctx.body === undefined) {
        ctx.body = { error: { code: 'METHOD_NOT_ALLOWED', message: `${ctx.method} is not allowed on ${ctx.path}` } };
      }
    } catch (err) {
      const answer = errorAnswer(err, logger, { method: ctx.method, path: ctx.path, aborted: ctx.req.aborted });
      ctx.status = answer.status;
      ctx.set(answer.headers);
      if (answer.body) ctx.body = answer.body;
    }
  };
}
