import { IdParam } from '../../shared/schemas/common.js';
import { PolicyResultsRequest, PolicyResultsResponse } from '../../shared/schemas/policy-results.js';
import { route } from '../http/define-route.js';
import type { PolicyLogService } from '../services/policy-log-service.js';
import { requireOwnComputer } from './device-owner.js';

/** Device policy results (client: agent/coordinator-client.ts); re-sent results are recognised by their idempotency keys. */
export function policyResultRoutes(logs: PolicyLogService) {
  return [
    route({
      method: 'post', path: '/device/v1/computers/:id/policy-results', access: 'device', tag: 'device', summary: 'Report policy runs (exactly once per idempotency key)',
      params: IdParam, body: PolicyResultsRequest, response: PolicyResultsResponse, bodyLimit: 8 * 1024 * 1024,
      handler: ({ params, body, computer }) => logs.record(requireOwnComputer(computer, params.id).id, body.results),
    }),
  ];
}
