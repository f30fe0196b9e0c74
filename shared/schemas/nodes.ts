import { SignedManifest } from '../content/manifest.js';
import { IdParam, listOf, Name } from './common.js';
import { z } from './zod.js';

const PeerIdString = z.string().regex(/^[1-9A-HJ-NP-Za-km-z]{46,60}$/, 'a base58 libp2p PeerId');
const Multiaddrs = z.array(z.string().max(300)).max(16);
const Count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Admin request for a node join token. */
export const NodeCreate = z.strictObject({
  name: Name,
  /** Segments the node serves (issue 6); none means it pre-stages every package any enabled policy uses. */
  segmentIds: z.array(z.number().int().positive()).max(1000).default([]),
  expiresInSeconds: z.number().int().min(60).max(30 * 86_400).default(86_400),
}).openapi('NodeCreate');

/** The one-time join token, shown once. */
export const NodeCreated = z.object({ id: z.number().int(), name: z.string(), token: z.string(), expiresAt: z.string() }).openapi('NodeCreated');

/** What a node reports about itself in each heartbeat. */
export const NodeHealth = z.strictObject({
  freeBytes: Count,
  storedBytes: Count,
  chunks: Count,
  load: z.number().min(0),
  connections: Count,
  peers: Count,
  bytesServed: Count,
  /** Why the node cannot do its job right now (low disk, quota); empty when fine. */
  problems: z.array(z.string().max(300)).max(20),
}).openapi('NodeHealth');
/** What a node reports about itself in each heartbeat. */
export type NodeHealth = z.infer<typeof NodeHealth>;

/** Node state as admins see it: pending until joined, then by heartbeats, or revoked. */
export const NodeStatus = z.enum(['pending', 'healthy', 'unhealthy', 'offline', 'revoked']);
/** Node state as admins see it. */
export type NodeStatus = z.infer<typeof NodeStatus>;

/** A distribution node. */
export const NodeView = z.object({
  id: z.number().int(), name: z.string(), status: NodeStatus, segmentIds: z.array(z.number().int()),
  peerId: z.string().nullable(), addrs: z.array(z.string()), httpUrl: z.string().nullable(),
  lastHeartbeatAt: z.string().nullable(), health: NodeHealth.nullable(), pins: z.array(z.number().int()),
  createdAt: z.string(), joinedAt: z.string().nullable(),
}).openapi('NodeView');
/** A distribution node. */
export type NodeView = z.infer<typeof NodeView>;
/** A page of nodes. */
export const NodeList = listOf(NodeView);

/** Admin pin: keep this package on the node whatever the policies say. */
export const PinCreate = z.strictObject({ packageId: z.number().int().positive() }).openapi('PinCreate');
/** Route parameters of a pin. */
export const PinParams = IdParam.extend({ packageId: z.coerce.number().int().positive() });

/** Node join: one-time token, CSR, libp2p identity and where to reach the node. */
export const NodeJoinRequest = z.strictObject({
  token: z.string().min(1).max(200),
  csr: z.string().min(100).max(16_384),
  peerId: PeerIdString,
  addrs: Multiaddrs,
  httpUrl: z.string().url().max(300),
  /** Host names / IPs for the node's HTTPS certificate (agents verify them). */
  names: z.array(z.string().min(1).max(253)).min(1).max(16),
}).openapi('NodeJoinRequest');
/** Node join: one-time token, CSR, libp2p identity and where to reach the node. */
export type NodeJoinRequest = z.infer<typeof NodeJoinRequest>;

/** What a node needs after joining. */
export const NodeJoinResponse = z.object({
  nodeId: z.number().int(), certificate: z.string(), caCertificate: z.string(), packagePublicKey: z.string(), heartbeatSeconds: z.number().int(),
}).openapi('NodeJoinResponse');
/** What a node needs after joining. */
export type NodeJoinResponse = z.infer<typeof NodeJoinResponse>;

/** Bytes moved for one package since the last report: fetched from the origin, from peers, and served to agents. */
export const TrafficDelta = z.strictObject({ packageId: z.number().int().min(0), fromOrigin: Count, fromPeers: Count, toAgents: Count });
/** Bytes moved for one package since the last report. */
export type TrafficDelta = z.infer<typeof TrafficDelta>;

/** A node's heartbeat. */
export const NodeHeartbeat = z.strictObject({
  addrs: Multiaddrs, httpUrl: z.string().url().max(300), health: NodeHealth, traffic: z.array(TrafficDelta).max(10_000),
}).openapi('NodeHeartbeat');
/** A node's heartbeat. */
export type NodeHeartbeat = z.infer<typeof NodeHeartbeat>;

/** Answer to a heartbeat. */
export const NodeHeartbeatResponse = z.object({ status: NodeStatus, heartbeatSeconds: z.number().int() });

/** A mesh peer a node may connect to: a live node or the origin seeder. */
export const MeshPeer = z.object({ peerId: z.string(), addrs: z.array(z.string()), origin: z.boolean(), nodeId: z.number().int().nullable() });
/** A mesh peer a node may connect to. */
export type MeshPeer = z.infer<typeof MeshPeer>;
/** Every peer a node may connect to. */
export const MeshPeerList = listOf(MeshPeer);

/** A package a node should hold, with the PeerIds of every live node that should hold it too. */
export const DesiredPackage = z.object({ packageId: z.number().int(), manifest: SignedManifest, holders: z.array(z.string()) });
/** A package a node should hold. */
export type DesiredPackage = z.infer<typeof DesiredPackage>;
/** A node's desired content. */
export const DesiredPackageList = listOf(DesiredPackage);

/** A package a node should hold, as admins see it: which one, whether an admin pinned it, and how many nodes share it. */
export const NodePackage = z.object({
  packageId: z.number().int(), name: z.string(), version: z.string(), revision: z.number().int(), size: z.number().int(),
  pinned: z.boolean(), holders: z.number().int(),
}).openapi('NodePackage');
/** Packages a node should hold. */
export const NodePackageList = listOf(NodePackage);

/** Whether a device certificate is current (nodes ask before serving an agent). */
export const DeviceCertificateStatus = z.object({ active: z.boolean() });
/** Route parameters of a device certificate check. */
export const DeviceCertificateParams = z.strictObject({ uuid: z.string().uuid(), serial: z.string().regex(/^[0-9a-f]{1,64}$/) });

/** Bytes delivered for one package: by the origin, by nodes from peers, and by nodes to agents. */
export const PackageTraffic = z.object({
  packageId: z.number().int(), originBytes: Count, peerBytes: Count, agentBytes: Count,
  byNode: z.array(z.object({ nodeId: z.number().int(), fromOrigin: Count, fromPeers: Count, toAgents: Count })),
}).openapi('PackageTraffic');
/** Source-of-bytes accounting for every package. */
export const PackageTrafficList = listOf(PackageTraffic);
