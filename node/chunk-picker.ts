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
  /** Requests in flight to the origin at most. */
  originInFlight: number;
  /** The origin's PeerId, when the origin is reachable. */
  origin: string | undefined;
  /** True when this node may take the chunk from the origin now (it is assigned the chunk, or the assignee is unreachable). */
  mayUseOrigin(digest: Digest): boolean;
  random?: () => number;
}

/**
 * Rarest first: chunks held by the fewest peers are requested first (ties in random order, so nodes
 * spread out), each from its least-loaded source with a free request slot; chunks no peer holds come
 * from the origin last (at most `originInFlight` at a time), and only when `mayUseOrigin` allows.
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
    if (loadOf(input.origin!) >= input.originInFlight) break;
    load.set(input.origin!, loadOf(input.origin!) + 1);
    picks.push({ digest, peerId: input.origin!, origin: true });
  }
  return picks;
}

/**
 * The node (among `holders`, by PeerId) assigned to fetch a chunk from the origin, so the origin sends each chunk
 * about once: the holder with the highest rendezvous weight. A holder joining or leaving the list moves only the
 * chunks it gains or had, so nodes that see the list change at different moments still agree on all the others
 * (and the next in line after a passed-over holder is the one the shorter list picks).
 */
export function originAssignee(digest: Digest, holders: string[]): string | undefined {
  const key = Number.parseInt(digest.slice(7, 15), 16);
  let best: string | undefined;
  let bestWeight = -1;
  for (const holder of holders) {
    const weight = mix32(key ^ fnv1a32(holder));
    if (weight > bestWeight || (weight === bestWeight && holder < best!)) [best, bestWeight] = [holder, weight];
  }
  return best;
}

/** FNV-1a hash of a string's UTF-16 code units, 32 bits. */
function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** MurmurHash3's 32-bit finaliser: spreads every input bit over the output. */
function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
