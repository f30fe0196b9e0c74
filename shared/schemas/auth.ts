import { z } from './zod.js';

/** Sign-in request. */
export const TokenRequest = z.strictObject({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(1024),
}).openapi('TokenRequest');

/** Bearer token answer. */
export const TokenResponse = z.object({ token: z.string(), expiresAt: z.string(), role: z.enum(['admin', 'auditor']) }).openapi('TokenResponse');

/** Admin user creation (admin only). */
export const UserCreate = z.strictObject({
  username: z.string().regex(/^[a-zA-Z0-9._-]{1,100}$/, 'letters, digits, dot, dash and underscore only'),
  password: z.string().min(12, 'at least 12 characters').max(1024),
  role: z.enum(['admin', 'auditor']),
}).openapi('UserCreate');

/** Admin user as listed (never the hash). */
export const User = z.object({ id: z.number(), username: z.string(), role: z.enum(['admin', 'auditor']), createdAt: z.string() }).openapi('User');

/** One audit log entry. */
export const AuditEntry = z.object({
  id: z.number(), at: z.string(), username: z.string(), action: z.string(), status: z.number(), details: z.unknown(),
}).openapi('AuditEntry');
