import { IdParam } from '../../shared/schemas/common.js';
import {
  EscrowParams, ManagementPasswordQuery, ManagementPasswordView, PasswordEscrowRequest, PasswordEscrowResponse,
} from '../../shared/schemas/management.js';
import { route } from '../http/define-route.js';
import type { PasswordEscrowService } from '../services/password-escrow-service.js';
import { requireOwnComputer } from './device-owner.js';

/** Escrowed passwords: agents escrow and confirm (client: agent/coordinator-client.ts); admins view them, audited. */
export function managementPasswordRoutes(escrow: PasswordEscrowService) {
  return [
    route({
      // `write` access: admins only (auditors may not see passwords), and every view gets an audit entry.
      method: 'get', path: '/api/v1/computers/:id/management-password', access: 'write', tag: 'computers',
      summary: 'View a computer\'s escrowed account password (audited; the agent rotates it at its next check-in)',
      params: IdParam, query: ManagementPasswordQuery, response: ManagementPasswordView,
      handler: ({ params, query, user }) => escrow.view(params.id, user!.username, query.username),
    }),
    route({
      method: 'post', path: '/device/v1/computers/:id/management-passwords', access: 'device', tag: 'device',
      summary: 'Escrow a password the agent is about to set (pending until confirmed)',
      params: IdParam, body: PasswordEscrowRequest, response: PasswordEscrowResponse, status: 201, bodyLimit: 4096,
      handler: ({ params, body, computer }) => escrow.escrow(requireOwnComputer(computer, params.id).id, body.username, body.password),
    }),
    route({
      method: 'post', path: '/device/v1/computers/:id/management-passwords/:escrowId/confirm', access: 'device', tag: 'device',
      summary: 'Confirm the escrowed password is now set', params: EscrowParams, status: 204, bodyLimit: 64,
      handler: ({ params, computer }) => escrow.confirm(requireOwnComputer(computer, params.id).id, params.escrowId),
    }),
  ];
}
