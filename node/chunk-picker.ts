import type { Digest } from '../shared/digest.js';

/** One chunk request to start: which chunk, from which peer (or the origin). */
export interface ChunkPick { digest: Digest; peerId: string; origin: boolean }

/** What the picker sees in one scheduling round. */
export interface PickerInput {
  /** Chunks this node still lacks and has not requested. */
  missing: Digest[];
  /** Peers (not the origin) holding each chunk. */
  sources: Map<Digest, string[]>;
  /** Requests in flight per peer. */
  inFlight(peerId: string): number;
  perPeerInFlight: number;
  /** The origin's PeerId, when the origin is reachable. */
  origin: string | undefined;
  /** True when this node may take the chunk from the origin now (it is assigned the chunk, or the assignee is unreachable). */
  mayUseOrigin(digest: Digest): boolean;
  random?: () => number;
}

/**
 * Rarest first: chunks held by the fewest peers are requested first (ties in random order, so nodes
 * spread out), each from its least-loaded source with a free request slot; chunks no peer holds come
 * from the origin last, and only when `mayUseOrigin` allows.
 */
export function pickRequests(input: PickerInput): ChunkPick[] {
  const random = input.random ?? Math.random;
  const load = new Map<string, number>();
  const loadOf = (peerId: string) => load.get(peerId) ?? input.inFlight(peerId);
  const order = input.missing.map((digest) => ({ digest, sources: input.sources.get(digest) ?? [], tie: random() }))
    .sort((a, b) => (a.sources.length - b.sources.length) || (a.tie - b.tie));
  const picks: ChunkPick[] = [];
  const fromOrigin: Digest[] = [];
  for (const { digest, sources } of order) {
    if (!sources.length) {
      if (input.origin && input.mayUseOrigin(digest)) fromOrigin.push(digest);
      continue;
    }
    const peer = sources.filter((p) => loadOf(p) < input.perPeerInFlight).sort((a, b) => loadOf(a) - loadOf(b))[0];
    if (!peer) continue;
    load.set(peer, loadOf(peer) + 1);
    picks.push({ digest, peerId: peer, origin: false });
  }
  for (const digest of fromOrigin) {
    if (loadOf(input.origin!) >= input.perPeerInFlight) break;
    load.set(input.origin!, loadOf(input.origin!) + 1);
    picks.push({ digest, peerId: input.origin!, origin: true });
  }
  return picks;
}

/** The node (among `holders`, by PeerId) assigned to fetch a chunk from the origin, so the origin sends each chunk about once. */
export function originAssignee(digest: Digest, holders: string[]): string | undefined {
  if (!holders.length) return undefined;
  const sorted = [...holders].sort();
  return sorted[Number.parseInt(digest.slice(7, 15), 16) % sorted.length];
}
