import { z } from './zod.js';

/** Admin request for an enrollment token. */
export const EnrollmentTokenCreate = z.strictObject({
  uses: z.number().int().min(1).max(100_000).default(1),
  expiresInSeconds: z.number().int().min(60).max(90 * 86_400).default(3600),
}).openapi('EnrollmentTokenCreate');

/** The token, shown once. */
export const EnrollmentTokenResponse = z.object({ token: z.string(), expiresAt: z.string(), uses: z.number() }).openapi('EnrollmentTokenResponse');

/** Device enrollment: token + CSR (PEM). */
export const EnrollRequest = z.strictObject({
  token: z.string().min(1).max(200),
  csr: z.string().min(100).max(16_384),
  name: z.string().trim().max(255).optional(),
}).openapi('EnrollRequest');

/** What a device needs to work after enrollment. */
export const EnrollResponse = z.object({
  computerId: z.number().int(),
  uuid: z.string(),
  certificate: z.string(),
  caCertificate: z.string(),
  onlinePublicKey: z.string(),
  packagePublicKey: z.string(),
  coordinatorUrls: z.array(z.string()),
  checkinIntervalSeconds: z.number().int(),
}).openapi('EnrollResponse');
export type EnrollResponse = z.infer<typeof EnrollResponse>;
