import { IdParam, listOf, PageQuery } from '../../shared/schemas/common.js';
import { GroupInput, GroupPatch } from '../../shared/schemas/group.js';
import { GroupView } from '../../shared/schemas/policy-views.js';
import { route } from '../http/define-route.js';
import type { GroupService } from '../services/group-service.js';

const BODY_LIMIT = 2 * 1024 * 1024;

/** CRUD of static and smart computer groups. */
export function groupRoutes(groups: GroupService) {
  const base = '/api/v1/groups';
  const tag = 'policies';
  return [
    route({ method: 'get', path: base, access: 'read', tag, summary: 'List groups with member counts', query: PageQuery, response: listOf(GroupView), handler: ({ query }) => groups.list(query.page, query.perPage) }),
    route({ method: 'get', path: `${base}/:id`, access: 'read', tag, summary: 'One group', params: IdParam, response: GroupView, handler: ({ params }) => groups.get(params.id) }),
    route({ method: 'post', path: base, access: 'write', tag, summary: 'Create a static or smart group (cycles and bad criteria refused)', body: GroupInput, response: GroupView, status: 201, bodyLimit: BODY_LIMIT, handler: ({ body }) => groups.create(body) }),
    route({ method: 'put', path: `${base}/:id`, access: 'write', tag, summary: 'Replace a group', params: IdParam, body: GroupInput, response: GroupView, bodyLimit: BODY_LIMIT, handler: ({ params, body }) => groups.update(params.id, { replace: body }) }),
    route({ method: 'patch', path: `${base}/:id`, access: 'write', tag, summary: 'Change some fields of a group', params: IdParam, body: GroupPatch, response: GroupView, bodyLimit: BODY_LIMIT, handler: ({ params, body }) => groups.update(params.id, { patch: body }) }),
    route({ method: 'delete', path: `${base}/:id`, access: 'write', tag, summary: 'Delete a group nothing refers to', params: IdParam, status: 204, handler: ({ params }) => groups.remove(params.id) }),
  ];
}
