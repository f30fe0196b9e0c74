import { IdParam, listOf } from '../../shared/schemas/common.js';
import { ComputerDetail, ComputerListQuery, ComputerSummary } from '../../shared/schemas/computers.js';
import { Explanation, FlushQuery, FlushResponse } from '../../shared/schemas/policy-views.js';
import { route } from '../http/define-route.js';
import type { ComputerService } from '../services/computer-service.js';
import type { ExplainService } from '../services/explain-service.js';
import type { PolicyLogService } from '../services/policy-log-service.js';

/** Admin view of computers (with policy history and scope explanation); DELETE unmanages (revokes the certificate). */
export function computerRoutes(computers: ComputerService, logs: PolicyLogService, explain: ExplainService) {
  return [
    route({
      method: 'get', path: '/api/v1/computers', access: 'read', tag: 'computers', summary: 'Search, sort and page computers',
      query: ComputerListQuery, response: listOf(ComputerSummary),
      handler: ({ query }) => computers.list(query),
    }),
    route({
      method: 'get', path: '/api/v1/computers/:id', access: 'read', tag: 'computers', summary: 'A computer with full inventory, history and policy history',
      params: IdParam, response: ComputerDetail,
      handler: async ({ params }) => ({ ...(await computers.get(params.id)), policyHistory: await logs.historyOf(params.id) }),
    }),
    route({
      method: 'get', path: '/api/v1/computers/:id/explain', access: 'read', tag: 'computers', summary: 'Each policy in or out of scope for this computer, and why',
      params: IdParam, response: Explanation,
      handler: ({ params }) => explain.explain(params.id),
    }),
    route({
      method: 'post', path: '/api/v1/computers/:id/flush-logs', access: 'write', tag: 'computers', summary: 'Flush this computer\'s policy logs (all, or ?policyId=)',
      params: IdParam, query: FlushQuery, response: FlushResponse,
      handler: async ({ params, query }) => ({ flushed: await logs.flushComputer(params.id, query.policyId) }),
    }),
    route({
      method: 'delete', path: '/api/v1/computers/:id', access: 'write', tag: 'computers', summary: 'Unmanage a computer and revoke its certificate',
      params: IdParam, status: 204,
      handler: ({ params }) => computers.unmanage(params.id),
    }),
  ];
}
