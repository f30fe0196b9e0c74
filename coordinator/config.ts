import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { envLayer, loadConfig } from '../shared/config.js';

const list = z.union([z.array(z.string()), z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))]);

/** Coordinator configuration; defaults give a working local install with no environment at all. */
export const CoordinatorConfig = z.strictObject({
  dataDir: z.string().min(1).default('./data'),
  host: z.string().min(1).default('0.0.0.0'),
  port: z.coerce.number().int().min(0).max(65535).default(8443),
  /** `sqlite` (file in the data dir), a SQLite file path, or `postgres://…`. */
  db: z.string().min(1).default('sqlite'),
  /** Postgres connections per coordinator process (size it so processes × pool stays under the server's max_connections). */
  dbPoolMax: z.coerce.number().int().min(1).max(500).default(10),
  /** URLs agents are told to use, first preferred; default `https://<hostname>:<port>`. */
  publicUrls: list.default([]),
  /** Extra DNS names / IPs for the server certificate. */
  serverNames: list.default([]),
  adminPassword: z.string().min(12, 'HOMING_ADMIN_PASSWORD must have at least 12 characters').optional(),
  checkinIntervalSeconds: z.coerce.number().int().min(10).max(86_400).default(1800),
  inventoryIntervalSeconds: z.coerce.number().int().min(60).default(86_400),
  certificateDays: z.coerce.number().int().min(1).max(3650).default(365),
  maxInFlightDeviceRequests: z.coerce.number().int().min(1).default(500),
  /** Largest package payload an upload may carry (bytes; default 64 GiB). */
  maxPackageBytes: z.coerce.number().int().min(1).default(64 * 1024 ** 3),
  /** Most files, and most chunks, one package may list. */
  maxPackageEntries: z.coerce.number().int().min(1).default(1_000_000),
  /** Where the CA and signing keys live: `files` in `keyDir`, or `database` (needs a key-encryption key); several coordinators share either. */
  keyStore: z.enum(['files', 'database']).default('files'),
  /** Directory of the key files (default: the data dir); coordinators behind one name mount the same one. */
  keyDir: z.string().min(1).optional(),
  /** Encrypts private keys at rest (env HOMING_KEY_ENCRYPTION_KEY); or give `keyEncryptionKeyFile`. */
  keyEncryptionKey: z.string().min(16, 'HOMING_KEY_ENCRYPTION_KEY must have at least 16 characters').optional(),
  keyEncryptionKeyFile: z.string().min(1).optional(),
  /** libp2p TCP port of the origin seeder (on `host`); 0 for any free port. */
  p2pPort: z.coerce.number().int().min(0).max(65535).default(4001),
  /** Upload cap of the origin seeder over the mesh, bytes per second (env HOMING_ORIGIN_UPLOAD_BYTES_PER_SECOND); 0 = none. */
  originUploadBytesPerSecond: z.coerce.number().int().min(0).default(0),
  /** Heartbeat interval told to nodes; 3 missed make a node unhealthy, 10 offline. */
  nodeHeartbeatSeconds: z.coerce.number().int().min(1).max(3600).default(30),
}).superRefine((c, ctx) => {
  if (c.keyStore === 'database' && !c.keyEncryptionKey && !c.keyEncryptionKeyFile) {
    ctx.addIssue({ code: 'custom', path: ['keyStore'], message: 'keys in the database must be encrypted: set HOMING_KEY_ENCRYPTION_KEY or keyEncryptionKeyFile' });
  }
});
export type CoordinatorConfig = z.infer<typeof CoordinatorConfig>;

/** Reads the config from CLI options over `HOMING_*` environment variables over defaults. */
export function readCoordinatorConfig(cli: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): CoordinatorConfig {
  const fromEnv = envLayer(Object.keys(CoordinatorConfig.shape), env);
  if (env.HOMING_DB_URL) fromEnv.db = env.HOMING_DB_URL;
  return loadConfig(CoordinatorConfig, fromEnv, cli);
}

/** The database URL the config names. */
export function databaseUrl(config: CoordinatorConfig): string {
  return config.db === 'sqlite' ? join(resolve(config.dataDir), 'homing.sqlite') : config.db;
}

/** Names for the server certificate: loopback, this host, and configured names. */
export function serverNames(config: CoordinatorConfig): string[] {
  return [...new Set(['localhost', '127.0.0.1', '::1', hostname(), ...config.serverNames])];
}
