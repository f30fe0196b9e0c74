import type { Libp2p, PeerId } from '@libp2p/interface';
import { z } from 'zod';
import type { ChunkStore } from '../content/chunk-store.js';
import { CHUNK_MAX } from '../content/fastcdc.js';
import { DigestSchema } from '../content/manifest.js';
import { MeshError } from './errors.js';
import { jsonFrame, parseJsonFrame } from './frames.js';
import { CHUNK_PROTOCOL, MAX_CONTROL_FRAME } from './protocols.js';
import { handleRequests, sendRequest, type MeshTarget } from './rpc.js';
import type { TokenBucket } from './token-bucket.js';

const ChunkRequest = z.strictObject({ digest: DigestSchema, packageId: z.number().int().min(0) });
/** A request for one chunk; `packageId` says which package it is fetched for (byte accounting). */
export type ChunkRequest = z.infer<typeof ChunkRequest>;

const FOUND = 0;
const MISSING = 1;

/** How the chunk server reads chunks, caps its upload rate and reports what it sent. */
export interface ChunkServerOptions {
  store: Pick<ChunkStore, 'get'>;
  upload?: TokenBucket;
  onServed?(peer: PeerId, request: ChunkRequest, bytes: number): void;
  maxInboundStreams?: number;
}

/** Serves `/homing/chunks/1.0.0` from a chunk store. */
export function serveChunks(host: Libp2p, opts: ChunkServerOptions): Promise<void> {
  return handleRequests(host, CHUNK_PROTOCOL, MAX_CONTROL_FRAME, async (raw, peer) => {
    const parsed = ChunkRequest.safeParse(parseJsonFrame(raw));
    if (!parsed.success) throw new MeshError('MESH_FRAME_INVALID', 'malformed chunk request');
    const bytes = await opts.store.get(parsed.data.digest);
    if (!bytes) return Uint8Array.of(MISSING);
    await opts.upload?.take(bytes.length);
    const response = new Uint8Array(1 + bytes.length);
    response[0] = FOUND;
    response.set(bytes, 1);
    opts.onServed?.(peer, parsed.data, bytes.length);
    return response;
  }, opts.maxInboundStreams);
}

/** How long a chunk request may go without receiving a byte before it is abandoned (and the chunk asked of another source). */
export const CHUNK_STALL_TIMEOUT_MS = 30_000;

/**
 * Fetches one chunk's bytes (unverified: the caller's store verifies them); MESH_CHUNK_UNAVAILABLE when the peer lacks it.
 * No overall time limit: the request lasts while bytes keep coming, and fails after `stallTimeoutMs` without any.
 */
export async function requestChunk(host: Libp2p, target: MeshTarget, request: ChunkRequest, opts: { signal?: AbortSignal; stallTimeoutMs?: number } = {}): Promise<Uint8Array> {
  const response = await sendRequest(host, target, CHUNK_PROTOCOL, jsonFrame(request), {
    signal: opts.signal, stallTimeoutMs: opts.stallTimeoutMs ?? CHUNK_STALL_TIMEOUT_MS, maxResponseBytes: CHUNK_MAX + 1,
  });
  if (!response?.length) throw new MeshError('MESH_FRAME_INVALID', 'empty chunk response');
  if (response[0] === MISSING) throw new MeshError('MESH_CHUNK_UNAVAILABLE', `peer does not hold ${request.digest}`);
  if (response[0] !== FOUND) throw new MeshError('MESH_FRAME_INVALID', `unknown chunk response status ${response[0]}`);
  return response.subarray(1);
}

