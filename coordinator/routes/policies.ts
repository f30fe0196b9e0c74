import { IdParam, listOf, PageQuery } from '../../shared/schemas/common.js';
import { Policy, PolicyInput, PolicyPatch } from '../../shared/schemas/policy.js';
import { FlushResponse, PolicyLogEntry } from '../../shared/schemas/policy-views.js';
import { route } from '../http/define-route.js';
import { crudRoutes } from './crud-routes.js';
import type { PolicyLogService } from '../services/policy-log-service.js';
import type { PolicyService } from '../services/policy-service.js';

/** CRUD of policies, their logs, and flushing a policy's logs on every computer. */
export function policyRoutes(policies: PolicyService, logs: PolicyLogService) {
  const base = '/api/v1/policies';
  const tag = 'policies';
  return [
    ...crudRoutes({
      base, tag, noun: 'policy', service: policies, input: PolicyInput, patch: PolicyPatch, view: Policy, bodyLimit: 1024 * 1024,
      summaries: { list: 'List policies', remove: 'Delete a policy and its logs' },
    }),
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
