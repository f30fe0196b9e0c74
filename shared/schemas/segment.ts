import { IpRangeError, parseIpRange } from '../net/ip-range.js';
import { Name } from './common.js';
import { z } from './zod.js';

const Id = z.number().int().positive();
/** One rank of a segment's node list: a node id, or several node ids of equal rank (health and load order them). */
const Rank = z.union([Id, z.array(Id).min(1).max(16)]);
const flatten = (ranks: readonly (number | number[])[]) => ranks.flat();
const unique = (ids: readonly number[]) => new Set(ids).size === ids.length;

/** An address range in `start-end` or CIDR form, IPv4 or IPv6. */
export const IpRangeText = z.string().trim().min(2).max(100).superRefine((text, ctx) => {
  try { parseIpRange(text); } catch (err) {
    if (!(err instanceof IpRangeError)) throw err;
    ctx.addIssue({ code: 'custom', message: err.message });
  }
});

/** Admin input for a network segment: name, IP range, ordered node ranks (primary first), neighbour segments. */
export const SegmentInput = z.strictObject({
  name: Name,
  range: IpRangeText,
  /** Primary first, then failovers; an inner array is a rank of equal nodes. */
  nodeIds: z.array(Rank).max(32).default([]).refine((r) => unique(flatten(r)), 'a node may appear only once in a segment'),
  /** Segments whose nodes come next in the chain, in this order. */
  neighbourIds: z.array(Id).max(32).default([]).refine(unique, 'a neighbour may appear only once'),
}).openapi('SegmentInput');
/** Admin input for a network segment. */
export type SegmentInput = z.infer<typeof SegmentInput>;

/** A network segment as stored (range in canonical form, with its first and last address). */
export const Segment = z.object({
  id: z.number().int(), name: z.string(), range: z.string(), family: z.union([z.literal(4), z.literal(6)]),
  start: z.string(), end: z.string(), nodeIds: z.array(Rank), neighbourIds: z.array(z.number().int()),
  createdAt: z.string(), updatedAt: z.string(),
}).openapi('Segment');
/** A network segment as stored. */
export type Segment = z.infer<typeof Segment>;

/** Where a chunk source sits relative to the device's segment. */
export const SourceTier = z.enum(['segment', 'neighbour', 'other', 'origin']);
/** Where a chunk source sits relative to the device's segment. */
export type SourceTier = z.infer<typeof SourceTier>;

/** Where agents GET chunks on a node (node/agent-server.ts) and on the origin (coordinator/routes/packages.ts). */
export const NODE_CHUNK_PATH = '/v1/chunks/';
export const ORIGIN_CHUNK_PATH = '/device/v1/chunks/';

/** One entry of a device's distribution chain: a node (or the origin), how to reach it, and why it is here. */
export const DistributionSource = z.object({
  nodeId: z.number().int().nullable(), tier: SourceTier, baseUrl: z.string(),
  /** Path prefix of chunks on this source (`<baseUrl><chunkPath><digest>`). */
  chunkPath: z.string(), reason: z.string(),
}).openapi('DistributionSource');
/** One entry of a device's distribution chain. */
export type DistributionSource = z.infer<typeof DistributionSource>;

/** Bytes an agent received from each source while downloading one package. */
export const DownloadReport = z.strictObject({
  packageId: z.number().int().positive(),
  sources: z.array(z.strictObject({ nodeId: z.number().int().positive().nullable(), bytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) })).max(64),
}).openapi('DownloadReport');
/** Bytes an agent received from each source for one package. */
export type DownloadReport = z.infer<typeof DownloadReport>;

/** Bytes the devices of a segment received, by source, and the share that stayed inside the segment. */
export const SegmentTraffic = z.object({
  segmentId: z.number().int(),
  sources: z.array(z.object({ tier: SourceTier, nodeId: z.number().int().nullable(), bytes: z.number() })),
  totalBytes: z.number(), inSegmentBytes: z.number(), inSegmentShare: z.number(),
}).openapi('SegmentTraffic');
/** Bytes received by a segment's devices, by source. */
export type SegmentTraffic = z.infer<typeof SegmentTraffic>;

/** A segment's traffic with its name (the dashboard's list). */
export const NamedSegmentTraffic = SegmentTraffic.extend({ name: z.string() }).openapi('NamedSegmentTraffic');

/** A computer's segment (null outside every segment), its chain, and listed nodes left out with why. */
export const DistributionExplanation = z.object({
  segment: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  chain: z.array(DistributionSource),
  skipped: z.array(z.object({ nodeId: z.number().int(), reason: z.string() })),
}).openapi('DistributionExplanation');
/** A computer's segment and chain, explained. */
export type DistributionExplanation = z.infer<typeof DistributionExplanation>;

/** How devices are placed in segments: by the address the coordinator sees, and optionally by the addresses they report. */
export const SegmentSettings = z.strictObject({
  /** When the seen address is in no segment, try the interface addresses in the device's inventory. */
  useReportedAddresses: z.boolean(),
}).openapi('SegmentSettings');
/** How devices are placed in segments. */
export type SegmentSettings = z.infer<typeof SegmentSettings>;
