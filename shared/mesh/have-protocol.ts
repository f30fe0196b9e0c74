import type { Libp2p, PeerId } from '@libp2p/interface';
import { z } from 'zod';
import type { ChunkStore } from '../content/chunk-store.js';
import type { Digest } from '../digest.js';
import { Bitfield } from './bitfield.js';
import { MeshError } from './errors.js';
import { jsonFrame, parseJsonFrame } from './frames.js';
import { ANNOUNCE_PROTOCOL, HAVE_PROTOCOL, MAX_CONTROL_FRAME } from './protocols.js';
import { MessageSender } from './message-sender.js';
import { handleMessages, handleRequests, sendRequest, type MeshTarget } from './rpc.js';

/** Which chunks of a package's manifest a peer holds (`bits`: base64 bitfield of `count` bits). */
export const HaveList = z.strictObject({
  packageId: z.number().int().min(0),
  count: z.number().int().min(0).max(8 * MAX_CONTROL_FRAME / 2),
  bits: z.string().max(MAX_CONTROL_FRAME),
});
/** Which chunks of a package's manifest a peer holds. */
export type HaveList = z.infer<typeof HaveList>;

const HaveRequest = z.strictObject({ packageId: z.number().int().min(0) });

function parse<T>(schema: z.ZodType<T>, raw: Uint8Array, what: string): T {
  const parsed = schema.safeParse(parseJsonFrame(raw));
  if (!parsed.success) throw new MeshError('MESH_FRAME_INVALID', `malformed ${what}`);
  return parsed.data;
}

/** Answers `/homing/have/1.0.0` queries; `haveList` returns undefined for packages this host knows nothing about. */
export function serveHaves(host: Libp2p, haveList: (packageId: number) => Promise<HaveList | undefined>): Promise<void> {
  return handleRequests(host, HAVE_PROTOCOL, MAX_CONTROL_FRAME, async (raw) => {
    const { packageId } = parse(HaveRequest, raw, 'have request');
    return jsonFrame((await haveList(packageId)) ?? { packageId, count: 0, bits: '' });
  });
}

/** Asks a peer for its have-list of one package. */
export async function requestHaves(host: Libp2p, target: MeshTarget, packageId: number, opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<HaveList> {
  const response = await sendRequest(host, target, HAVE_PROTOCOL, jsonFrame({ packageId }), { ...opts, maxResponseBytes: MAX_CONTROL_FRAME });
  return parse(HaveList, response, 'have-list');
}

/** Accepts `/homing/announce/1.0.0` pushes of updated have-lists (any number per stream); a malformed one ends the stream. */
export function onAnnouncements(host: Libp2p, handler: (from: PeerId, list: HaveList) => void): Promise<void> {
  return handleMessages(host, ANNOUNCE_PROTOCOL, MAX_CONTROL_FRAME, (raw, from) => handler(from, parse(HaveList, raw, 'announcement')));
}

/** Pushes this host's have-lists to peers over one long-lived stream each; a newer list of a package replaces one still queued. */
export class Announcer {
  private readonly sender: MessageSender;

  constructor(host: Libp2p) {
    this.sender = new MessageSender(host, ANNOUNCE_PROTOCOL);
  }

  /** Best effort: a lost announcement is made up for by the peer's periodic have-list query. */
  announce(peer: PeerId, list: HaveList, signal: AbortSignal): void {
    this.sender.send(peer, String(list.packageId), jsonFrame(list), signal);
  }
}

/** Builds this host's have-list of a package from its manifest's chunk list and a store. */
export async function buildHaveList(packageId: number, chunks: { digest: Digest }[], store: Pick<ChunkStore, 'has'>): Promise<HaveList> {
  const bits = new Bitfield(chunks.length);
  await Promise.all(chunks.map(async (c, i) => { if (await store.has(c.digest)) bits.set(i); }));
  return { packageId, count: chunks.length, bits: bits.toBase64() };
}
