import type { IncomingMessage } from 'node:http';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router } from '@koa/router';
import type { Context } from 'koa';
import type { z } from 'zod';
import { ErrorResponse } from '../../shared/schemas/common.js';
import type { ComputerRow } from '../db/models/computers.js';
import type { NodeRow } from '../db/models/nodes.js';
import type { AuthUser } from '../services/auth-service.js';
import { readJsonBody } from './body.js';

/**
 * Who may call a route: `public` anyone; `read` any admin user (admin or auditor); `write` admins
 * only (audited); `device` a managed computer's client certificate; `node` a distribution node's.
 */
export type Access = 'public' | 'read' | 'write' | 'device' | 'node';

/** What a handler receives: validated input plus the caller. */
export interface RouteInput<B, Q, P> {
  body: B; query: Q; params: P;
  /** The caller's address. */
  ip: string;
  /**
   * Koa's context. Device JSON routes are served without Koa (device-router.ts): their handlers must not
   * use it (reading it there throws), everything they need is above.
   */
  ctx: Context;
  /** Set for `read` and `write` routes. */
  user: AuthUser | undefined;
  /** Set for `device` routes. */
  computer: ComputerRow | undefined;
  /** Set for `node` routes. */
  node: NodeRow | undefined;
}

/** One REST route: path, access, schemas (validation + OpenAPI) and handler. */
export interface RouteSpec<B = unknown, Q = unknown, P = unknown> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Koa-style path, e.g. `/api/v1/computers/:id`. */
  path: string;
  access: Access;
  summary: string;
  tag: string;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  response?: z.ZodType;
  /** Success status (default 200; 204 sends no body). */
  status?: number;
  bodyLimit?: number;
  /**
   * Binary bodies by content type: with `request` the handler reads `ctx.req` itself (no JSON body; a write is
   * audited with the handler's result); with `response` the handler sets `ctx.status` and `ctx.body` itself.
   */
  stream?: { request?: string; response?: string };
  handler(input: RouteInput<B, Q, P>): Promise<unknown>;
}

/** Declares a route with its input types inferred from its schemas. */
export function route<B = undefined, Q = undefined, P = undefined>(spec: RouteSpec<B, Q, P>): RouteSpec<B, Q, P> {
  return spec;
}

/** Resolves callers; the app supplies these so routes never touch credentials themselves. */
export interface Authenticators {
  admin(ctx: Context): Promise<AuthUser>;
  device(req: IncomingMessage): Promise<ComputerRow>;
  node(req: IncomingMessage): Promise<NodeRow>;
  requireWriter(user: AuthUser): void;
  audit(user: AuthUser, ctx: Context, status: number, body: unknown): Promise<void>;
}

const BINARY = { type: 'string', format: 'binary' } as const;

/** Validated params, query and body of one request (zod errors propagate as 400s); `raw` is the parsed JSON before validation. */
export async function validateInput<B, Q, P>(spec: RouteSpec<B, Q, P>, req: IncomingMessage, rawParams: unknown, rawQuery: unknown): Promise<{ params: P; query: Q; body: B; raw: unknown }> {
  const params = (spec.params ? spec.params.parse(rawParams) : undefined) as P;
  const query = (spec.query ? spec.query.parse(rawQuery) : undefined) as Q;
  const raw = spec.body ? await readJsonBody(req, spec.bodyLimit) : undefined;
  const body = (spec.body ? spec.body.parse(raw) : undefined) as B;
  return { params, query, body, raw };
}

/** Adds routes to the Koa router. */
export function mountRoutes(router: Router, auth: Authenticators, specs: RouteSpec<any, any, any>[]): void {
  for (const spec of specs) {
    router[spec.method](spec.path, async (ctx) => {
      const user = spec.access === 'read' || spec.access === 'write' ? await auth.admin(ctx) : undefined;
      if (user && spec.access === 'write') auth.requireWriter(user);
      const computer = spec.access === 'device' ? await auth.device(ctx.req) : undefined;
      const node = spec.access === 'node' ? await auth.node(ctx.req) : undefined;
      const { params, query, body, raw } = await validateInput(spec, ctx.req, ctx.params, { ...ctx.query });
      const result = await spec.handler({ body, query, params, ip: ctx.ip, ctx, user, computer, node });
      if (!spec.stream?.response) {
        ctx.status = spec.status ?? 200;
        if (ctx.status !== 204) ctx.body = result;
      }
      if (user && spec.access === 'write') await auth.audit(user, ctx, ctx.status, spec.stream?.request ? result : raw);
    });
  }
}

/** Documents routes in the OpenAPI registry (whichever runner serves them). */
export function documentRoutes(registry: OpenAPIRegistry, specs: RouteSpec<any, any, any>[]): void {
  for (const spec of specs) {
    registry.registerPath({
      method: spec.method,
      path: spec.path.replace(/:(\w+)/g, '{$1}'),
      summary: spec.summary,
      tags: [spec.tag],
      ...(spec.access === 'read' || spec.access === 'write' ? { security: [{ bearer: [] }] } : {}),
      request: {
        ...(spec.params ? { params: spec.params as never } : {}),
        ...(spec.query ? { query: spec.query as never } : {}),
        ...(spec.body ? { body: { content: { 'application/json': { schema: spec.body } } } } : {}),
        ...(spec.stream?.request ? { body: { content: { [spec.stream.request]: { schema: BINARY } } } } : {}),
      },
      responses: {
        [spec.status ?? 200]: spec.stream?.response
          ? { description: 'success', content: { [spec.stream.response]: { schema: BINARY } } }
          : spec.response
            ? { description: 'success', content: { 'application/json': { schema: spec.response } } }
            : { description: 'success' },
        default: { description: 'error', content: { 'application/json': { schema: ErrorResponse } } },
      },
    });
  }
}
