import { isIP } from 'node:net';
import { z } from 'zod';
import { envLayer, loadConfig } from '../shared/config.js';

const list = z.union([z.array(z.string()), z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))]);
/** Wildcard listen addresses: fine to listen on, useless to advertise. */
const UNSPECIFIED = new Set(['0.0.0.0', '::', '[::]']);
const bytes = z.coerce.number().int().min(0);

/** Distribution node configuration; defaults give a working local node next to a local coordinator. */
export const NodeConfig = z.strictObject({
  /** Coordinator URL(s), first preferred. */
  coordinator: list.pipe(z.array(z.string().regex(/^https:\/\//, 'coordinator URLs must start with https://')).min(1)),
  caFile: z.string().min(1),
  /** One-time join token; only needed until the node has joined (its identity lives in the data dir). */
  token: z.string().min(1).optional(),
  dataDir: z.string().min(1).default('./node-data'),
  /** Address both servers listen on and, unless `advertiseHost` is set, that peers and agents reach the node at. */
  host: z.string().min(1).default('127.0.0.1'),
  /** IP address peers and agents reach the node at, when it differs from `host` (needed with `--host 0.0.0.0`). */
  advertiseHost: z.string().refine((h) => isIP(h) !== 0 && !UNSPECIFIED.has(h), 'advertiseHost must be a reachable IP address, e.g. 10.1.2.3').optional(),
  /** HTTPS port for agents (fixed: it is registered at join). */
  httpPort: z.coerce.number().int().min(1).max(65535).default(8444),
  p2pPort: z.coerce.number().int().min(0).max(65535).default(4002),
  /** Most bytes of chunks kept; 0 = no quota. */
  quotaBytes: bytes.default(0),
  /** Refuse to store chunks when the data dir's filesystem would have less free space than this. */
  minFreeBytes: bytes.default(256 * 1024 * 1024),
  /** Upload / download caps in bytes per second over the mesh and to agents; 0 = unlimited. */
  uploadBytesPerSecond: bytes.default(0),
  downloadBytesPerSecond: bytes.default(0),
  /**
   * Chunk requests in flight per peer. One: a connection's responses queue behind each other (in the sender's socket
   * and link), so each one in flight adds a chunk's transfer time to everything else on that connection (at 25 Mbit/s,
   * 4 in flight held ~5 MB ahead of every new request). A node still downloads from every peer at once and uploads to
   * every requester at once.
   */
  perPeerInFlight: z.coerce.number().int().min(1).max(64).default(1),
  /**
   * Chunk requests in flight to the origin. One: the origin's upload is shared by every node, and each request in
   * flight splits it further, so a chunk (which peers can forward only once it is whole and verified) takes that
   * many times longer to arrive; the first and last chunks of a package wait for it.
   */
  originInFlight: z.coerce.number().int().min(1).max(64).default(1),
  peersRefreshSeconds: z.coerce.number().min(0.2).default(5),
  desiredRefreshSeconds: z.coerce.number().min(0.2).default(10),
  /** How long a device certificate check stays cached. */
  revocationCacheSeconds: z.coerce.number().min(0).default(30),
  /**
   * How long the node assigned to fetch a chunk from the origin may stay unreachable, or connected without progress
   * (at least three of this node's own origin requests, when the origin is that slow), before the next node in line takes the chunk.
   */
  originGraceSeconds: z.coerce.number().min(0).default(10),
  /** How long a peer that sent bad bytes stays banned; doubled for each repeat offence, up to `maxBanSeconds`. */
  banSeconds: z.coerce.number().min(1).default(60),
  maxBanSeconds: z.coerce.number().min(1).default(3600),
  /** How long after a package becomes desired before the first origin request (the coordinator's holder list settles). */
  originDelaySeconds: z.coerce.number().min(0).default(2),
}).superRefine((c, ctx) => {
  if (UNSPECIFIED.has(c.host) && !c.advertiseHost) {
    ctx.addIssue({ code: 'custom', path: ['advertiseHost'], message: `--host ${c.host} listens on every interface but is no address to reach: give --advertise-host (the IP peers and agents use)` });
  }
});
/** Distribution node configuration. */
export type NodeConfig = z.infer<typeof NodeConfig>;

/** Reads the config from CLI options over `HOMING_*` environment variables over defaults. */
export function readNodeConfig(cli: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): NodeConfig {
  const fromEnv = envLayer(Object.keys(NodeConfig.shape), env);
  if (env.HOMING_NODE_TOKEN) fromEnv.token = env.HOMING_NODE_TOKEN;
  return loadConfig(NodeConfig, fromEnv, cli);
}
