import type { z } from 'zod';
import { IdParam, listOf, PageQuery } from '../../shared/schemas/common.js';
import { route } from '../http/define-route.js';

/** What a service behind `crudRoutes` offers: paged list, get, create, replace or patch, delete. */
export interface CrudService<I, P, V> {
  list(page: number, perPage: number): Promise<{ items: V[]; total: number }>;
  get(id: number): Promise<V>;
  create(input: I): Promise<V>;
  update(id: number, change: { replace: I } | { patch: P }): Promise<V>;
  remove(id: number): Promise<void>;
}

/** The six admin routes of a resource (`GET` list and one, `POST`, `PUT`, `PATCH`, `DELETE`), admins write, auditors read. */
export function crudRoutes<I, P, V>(opts: {
  base: string; tag: string; noun: string; service: CrudService<I, P, V>;
  input: z.ZodType<I>; patch: z.ZodType<P>; view: z.ZodType; bodyLimit: number;
  /** Summaries that say more than the default ones. */
  summaries?: { list?: string; create?: string; remove?: string };
}) {
  const { base, tag, noun, service: s, input, patch, view, bodyLimit } = opts;
  const say = { list: `List ${noun}s`, create: `Create a ${noun}`, remove: `Delete a ${noun}`, ...opts.summaries };
  return [
    route({ method: 'get', path: base, access: 'read', tag, summary: say.list, query: PageQuery, response: listOf(view), handler: ({ query }) => s.list(query.page, query.perPage) }),
    route({ method: 'get', path: `${base}/:id`, access: 'read', tag, summary: `One ${noun}`, params: IdParam, response: view, handler: ({ params }) => s.get(params.id) }),
    route({ method: 'post', path: base, access: 'write', tag, summary: say.create, body: input, response: view, status: 201, bodyLimit, handler: ({ body }) => s.create(body) }),
    route({ method: 'put', path: `${base}/:id`, access: 'write', tag, summary: `Replace a ${noun}`, params: IdParam, body: input, response: view, bodyLimit, handler: ({ params, body }) => s.update(params.id, { replace: body }) }),
    route({ method: 'patch', path: `${base}/:id`, access: 'write', tag, summary: `Change some fields of a ${noun}`, params: IdParam, body: patch, response: view, bodyLimit, handler: ({ params, body }) => s.update(params.id, { patch: body }) }),
    route({ method: 'delete', path: `${base}/:id`, access: 'write', tag, summary: say.remove, params: IdParam, status: 204, handler: ({ params }) => s.remove(params.id) }),
  ];
}
