import { z } from './zod.js';

/** A local account name both Linux (useradd) and macOS accept. */
export const AccountName = z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'account name: lowercase letter or _ then up to 31 of a-z 0-9 _ -');

/**
 * Local accounts: create, delete, disable, add to or remove from the admin group, or set a new password. Policies
 * never carry passwords (they are readable by auditors and travel in bundles): `set-password` sets a random one
 * that the agent escrows at the coordinator, viewable by admins with an audit entry (as for the management account).
 */
export const AccountPayload = z.strictObject({
  type: z.literal('account'),
  action: z.enum(['create', 'delete', 'disable', 'add-admin', 'remove-admin', 'set-password']),
  username: AccountName,
  fullName: z.string().max(200).regex(/^[^:\n]*$/, 'full name must not contain ":" or newlines').default(''),
  /** `delete`: also remove the home directory. */
  deleteHome: z.boolean().default(false),
});

/** LAPS-style management account: created (hidden admin) when missing, then given a fresh random escrowed password. */
export const ManagementAccountPayload = z.strictObject({
  type: z.literal('management-account'),
  username: AccountName,
});

/** Runs a shell command as root or as the user logged in at the console. */
export const CommandPayload = z.strictObject({
  type: z.literal('command'),
  command: z.string().min(1).max(4096),
  runAs: z.enum(['root', 'current-user']).default('root'),
  timeoutSeconds: z.number().int().min(1).max(86_400).default(300),
});

/** Kills every process whose name is exactly `name`. */
export const KillProcessPayload = z.strictObject({
  type: z.literal('kill-process'),
  name: z.string().min(1).max(100).regex(/^[^/\n]+$/, 'process name: no "/" or newlines'),
});

const AbsolutePath = z.string().min(1).max(1024).regex(/^\//, 'path must be absolute');

/** Reports a path (or, with `name`, files of that name under it), or deletes a path within the agent's allowed roots. */
export const FilePayload = z.strictObject({
  type: z.literal('file'),
  action: z.enum(['search', 'delete']),
  path: AbsolutePath,
  /** `search`: look for files named this under `path` instead of reporting `path` itself. */
  name: z.string().min(1).max(255).regex(/^[^/]+$/).optional(),
});

/** Maintenance tasks, in this order: inventory update, agent cache flush, receipt verification (and repair). */
export const MaintenancePayload = z.strictObject({
  type: z.literal('maintenance'),
  tasks: z.array(z.enum(['inventory', 'flush-caches', 'verify-receipts', 'repair-receipts'])).min(1).max(4),
});

/** Restarts the computer after the run: now, after a delay, or once no user is logged in; users see `message`. */
export const RestartPayload = z.strictObject({
  type: z.literal('restart'),
  when: z.enum(['now', 'delay', 'no-user']).default('delay'),
  delayMinutes: z.number().int().min(1).max(1440).default(5),
  message: z.string().max(500).regex(/^[^\n\0]*$/, 'message must be one line').default('This computer will restart for maintenance.'),
});

/** Every management payload (they travel in bundles exactly as stored). */
export const ManagementPayloads = [
  AccountPayload, ManagementAccountPayload, CommandPayload, KillProcessPayload, FilePayload, MaintenancePayload, RestartPayload,
] as const;

/** One management payload. */
export type ManagementPayload = z.infer<(typeof ManagementPayloads)[number]>;

/** The `type`s of management payloads (item result types too). */
export const MANAGEMENT_PAYLOAD_TYPES = ['account', 'management-account', 'command', 'kill-process', 'file', 'maintenance', 'restart'] as const;
