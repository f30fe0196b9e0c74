import { IdParam } from '../../shared/schemas/common.js';
import { DeviceIdentity, RenewRequest, RenewResponse } from '../../shared/schemas/management.js';
import { route } from '../http/define-route.js';
import type { CertificateRenewalService } from '../services/certificate-renewal-service.js';
import { requireOwnComputer } from './device-owner.js';

/** A device's own identity: status, and certificate renewal over mTLS (client: agent/coordinator-client.ts). */
export function deviceIdentityRoutes(renewal: CertificateRenewalService) {
  return [
    route({
      method: 'get', path: '/device/v1/computers/:id/identity', access: 'device', tag: 'device', summary: 'This device\'s identity as the coordinator sees it',
      params: IdParam, response: DeviceIdentity,
      handler: async ({ params, computer }) => renewal.identity(requireOwnComputer(computer, params.id)),
    }),
    route({
      method: 'post', path: '/device/v1/computers/:id/renew', access: 'device', tag: 'device', summary: 'Renew the device certificate with a CSR; the current one is retired',
      params: IdParam, body: RenewRequest, response: RenewResponse, bodyLimit: 32_768,
      handler: ({ params, body, computer }) => renewal.renew(requireOwnComputer(computer, params.id), body.csr),
    }),
  ];
}
