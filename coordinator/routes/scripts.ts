import { IdParam, listOf, PageQuery } from '../../shared/schemas/common.js';
import { Script, ScriptInput, ScriptPatch } from '../../shared/schemas/script.js';
import { route } from '../http/define-route.js';
import type { ScriptService } from '../services/script-service.js';

const BODY_LIMIT = 1_200_000;

/** CRUD of policy scripts. */
export function scriptRoutes(scripts: ScriptService) {
  const base = '/api/v1/scripts';
  const tag = 'policies';
  return [
    route({ method: 'get', path: base, access: 'read', tag, summary: 'List scripts', query: PageQuery, response: listOf(Script), handler: ({ query }) => scripts.list(query.page, query.perPage) }),
    route({ method: 'get', path: `${base}/:id`, access: 'read', tag, summary: 'One script', params: IdParam, response: Script, handler: ({ params }) => scripts.get(params.id) }),
    route({ method: 'post', path: base, access: 'write', tag, summary: 'Create a script', body: ScriptInput, response: Script, status: 201, bodyLimit: BODY_LIMIT, handler: ({ body }) => scripts.create(body) }),
    route({ method: 'put', path: `${base}/:id`, access: 'write', tag, summary: 'Replace a script', params: IdParam, body: ScriptInput, response: Script, bodyLimit: BODY_LIMIT, handler: ({ params, body }) => scripts.update(params.id, { replace: body }) }),
    route({ method: 'patch', path: `${base}/:id`, access: 'write', tag, summary: 'Change some fields of a script', params: IdParam, body: ScriptPatch, response: Script, bodyLimit: BODY_LIMIT, handler: ({ params, body }) => scripts.update(params.id, { patch: body }) }),
    route({ method: 'delete', path: `${base}/:id`, access: 'write', tag, summary: 'Delete a script no policy uses', params: IdParam, status: 204, handler: ({ params }) => scripts.remove(params.id) }),
  ];
}
