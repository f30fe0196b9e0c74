import { DigestSchema, SignedManifest } from '../content/manifest.js';
import { listOf } from './common.js';
import { z } from './zod.js';

/** An uploaded package as admins see it: identity, signed revision, payload size, chunk count and bytes its upload added to the origin. */
export const PackageSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  version: z.string(),
  revision: z.number().int(),
  digest: DigestSchema,
  size: z.number().int(),
  chunkCount: z.number().int(),
  /** Bytes of chunks the origin did not hold before this upload (the rest were shared with other packages). */
  bytesNew: z.number().int(),
  uploadedBy: z.string(),
  createdAt: z.string(),
}).openapi('PackageSummary');
/** An uploaded package as admins see it. */
export type PackageSummary = z.infer<typeof PackageSummary>;

/** One package with its signed manifest. */
export const PackageDetail = PackageSummary.extend({ manifest: SignedManifest }).openapi('PackageDetail');
/** One package with its signed manifest. */
export type PackageDetail = z.infer<typeof PackageDetail>;

/** What the origin holds: payload bytes of every package added up, against the bytes its chunk store really keeps. */
export const PackageStorage = z.object({
  packages: z.number().int(),
  logicalBytes: z.number(),
  storedBytes: z.number(),
  storedChunks: z.number().int(),
}).openapi('PackageStorage');
/** What the origin holds, logical against stored. */
export type PackageStorage = z.infer<typeof PackageStorage>;

/** Paged package list. */
export const PackageList = listOf(PackageSummary);

/** A chunk digest in a route parameter. */
export const ChunkParam = z.strictObject({ digest: DigestSchema });
