import { AccountName } from './management-payloads.js';
import { z } from './zod.js';

/** Body of `POST /device/v1/computers/:id/management-passwords`: a new password the agent is about to set (pending). */
export const PasswordEscrowRequest = z.strictObject({ username: AccountName, password: z.string().min(16).max(256) }).openapi('PasswordEscrowRequest');
export type PasswordEscrowRequest = z.infer<typeof PasswordEscrowRequest>;

/** The escrowed password's id, confirmed once the agent has set it. */
export const PasswordEscrowResponse = z.object({ escrowId: z.number().int() }).openapi('PasswordEscrowResponse');
export type PasswordEscrowResponse = z.infer<typeof PasswordEscrowResponse>;

/** Path of `POST /device/v1/computers/:id/management-passwords/:escrowId/confirm`. */
export const EscrowParams = z.object({ id: z.coerce.number().int().positive(), escrowId: z.coerce.number().int().positive() });

/** Query of the admin view: which account (default: the most recently rotated). */
export const ManagementPasswordQuery = z.strictObject({ username: AccountName.optional() });

/** The audited admin view of a computer's escrowed password; viewing it asks the agent to rotate it. */
export const ManagementPasswordView = z.object({
  username: z.string(),
  /** The password last confirmed set (null when none was confirmed yet). */
  password: z.string().nullable(),
  setAt: z.string().nullable(),
  /** A newer password the agent escrowed but has not confirmed setting (it may be in effect if the agent failed to confirm). */
  unconfirmed: z.object({ password: z.string(), escrowedAt: z.string() }).nullable(),
  rotationRequested: z.boolean(),
}).openapi('ManagementPasswordView');

/** Body of `POST /device/v1/computers/:id/renew`: a CSR for the new key. */
export const RenewRequest = z.strictObject({ csr: z.string().min(100).max(16_384) }).openapi('RenewRequest');

/** The renewed certificate; the old one is refused from now on. */
export const RenewResponse = z.object({ certificate: z.string(), notAfter: z.string() }).openapi('RenewResponse');
export type RenewResponse = z.infer<typeof RenewResponse>;

/** `GET /device/v1/computers/:id/identity`: how the coordinator sees this device's identity. */
export const DeviceIdentity = z.object({
  computerId: z.number().int(), uuid: z.string(), status: z.string(), certificateSerial: z.string(), certificateNotAfter: z.string(),
}).openapi('DeviceIdentity');
export type DeviceIdentity = z.infer<typeof DeviceIdentity>;
