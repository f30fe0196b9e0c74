import { EnrollmentTokenCreate, EnrollmentTokenResponse, EnrollRequest, EnrollResponse } from '../../shared/schemas/enrollment.js';
import { z } from '../../shared/schemas/zod.js';
import { route } from '../http/define-route.js';
import type { EnrollmentService } from '../services/enrollment-service.js';

/** Enrollment tokens (admin) and device enrollment (token + CSR, no client certificate yet). */
export function enrollmentRoutes(enrollment: EnrollmentService, caPem: string) {
  return [
    route({
      method: 'get', path: '/device/v1/ca', access: 'public', tag: 'device', summary: 'The CA certificate (agents pinning by fingerprint fetch it here)',
      response: z.object({ certificate: z.string() }),
      handler: async () => ({ certificate: caPem }),
    }),
    route({
      method: 'post', path: '/api/v1/enrollment-tokens', access: 'write', tag: 'enrollment', summary: 'Create a one-time enrollment token',
      body: EnrollmentTokenCreate, response: EnrollmentTokenResponse, status: 201,
      handler: ({ body, user }) => enrollment.createToken(body.uses, body.expiresInSeconds, user!.username),
    }),
    route({
      method: 'post', path: '/device/v1/enroll', access: 'public', tag: 'device', summary: 'Trade an enrollment token and a CSR for a device certificate',
      body: EnrollRequest, response: EnrollResponse, status: 201, bodyLimit: 32_768,
      handler: ({ body, ip }) => enrollment.enroll(body.token, body.csr, body.name, ip),
    }),
  ];
}
