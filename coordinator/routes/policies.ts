import { IdParam, listOf, PageQuery } from '../../shared/schemas/common.js';
import { Policy, PolicyInput, PolicyPatch } from '../../shared/schemas/policy.js';
import { FlushResponse, PolicyLogEntry } from '../../shared/schemas/policy-views.js';
import { route } from '../http/define-route.js';
import type { PolicyLogService } from '../services/policy-log-service.js';
import type { PolicyService } from '../services/policy-service.js';

const BODY_LIMIT = 1024 * 1024;

/** CRUD of policies, their logs, and flushing a policy's logs on every computer. */
export function policyRoutes(policies: PolicyService, logs: PolicyLogService) {
  const base = '/api/v1/policies';
  const tag = 'policies';
  return [
    route({ method: 'get', path: base, access: 'read', tag, summary: 'List policies', query: PageQuery, response: listOf(Policy), handler: ({ query }) => policies.list(query.page, query.perPage) }),
    route({ method: 'get', path: `${base}/:id`, access: 'read', tag, summary: 'One policy', params: IdParam, response: Policy, handler: ({ params }) => policies.get(params.id) }),
    route({ method: 'post', path: base, access: 'write', tag, summary: 'Create a policy', body: PolicyInput, response: Policy, status: 201, bodyLimit: BODY_LIMIT, handler: ({ body }) => policies.create(body) }),
    route({ method: 'put', path: `${base}/:id`, access: 'write', tag, summary: 'Replace a policy', params: IdParam, body: PolicyInput, response: Policy, bodyLimit: BODY_LIMIT, handler: ({ params, body }) => policies.update(params.id, { replace: body }) }),
    route({ method: 'patch', path: `${base}/:id`, access: 'write', tag, summary: 'Change some fields of a policy', params: IdParam, body: PolicyPatch, response: Policy, bodyLimit: BODY_LIMIT, handler: ({ params, body }) => policies.update(params.id, { patch: body }) }),
    route({ method: 'delete', path: `${base}/:id`, access: 'write', tag, summary: 'Delete a policy and its logs', params: IdParam, status: 204, handler: ({ params }) => policies.remove(params.id) }),
    route({
      method: 'get', path: `${base}/:id/logs`, access: 'read', tag, summary: 'The policy\'s runs on every computer, newest first',
      params: IdParam, query: PageQuery, response: listOf(PolicyLogEntry),
      handler: ({ params, query }) => logs.logs(params.id, query.page, query.perPage),
    }),
    route({
      method: 'post', path: `${base}/:id/flush-logs`, access: 'write', tag, summary: 'Flush the policy\'s logs on every computer (it may run again)',
      params: IdParam, response: FlushResponse,
      handler: async ({ params }) => ({ flushed: await logs.flushPolicy(params.id) }),
    }),
  ];
}
