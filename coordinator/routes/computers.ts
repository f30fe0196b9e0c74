import { IdParam, listOf } from '../../shared/schemas/common.js';
import { ComputerDetail, ComputerListQuery, ComputerSummary } from '../../shared/schemas/computers.js';
import { route } from '../http/define-route.js';
import type { ComputerService } from '../services/computer-service.js';

/** Admin view of computers; DELETE unmanages (revokes the certificate). */
export function computerRoutes(computers: ComputerService) {
  return [
    route({
      method: 'get', path: '/api/v1/computers', access: 'read', tag: 'computers', summary: 'Search, sort and page computers',
      query: ComputerListQuery, response: listOf(ComputerSummary),
      handler: ({ query }) => computers.list(query),
    }),
    route({
      method: 'get', path: '/api/v1/computers/:id', access: 'read', tag: 'computers', summary: 'A computer with full inventory and history',
      params: IdParam, response: ComputerDetail,
      handler: ({ params }) => computers.get(params.id),
    }),
    route({
      method: 'delete', path: '/api/v1/computers/:id', access: 'write', tag: 'computers', summary: 'Unmanage a computer and revoke its certificate',
      params: IdParam, status: 204,
      handler: ({ params }) => computers.unmanage(params.id),
    }),
  ];
}
