import type { Digest } from '../shared/digest.js';
import { Bitfield } from '../shared/mesh/bitfield.js';
import type { HaveList } from '../shared/mesh/have-protocol.js';
import type { HeldPackage } from './desired-set.js';

/** What this node knows about each mesh peer: have-lists, chunk requests in flight, bans, when it was last reachable. */
export class PeerTable {
  private readonly haves = new Map<string, Map<number, Bitfield>>();
  private readonly inFlight = new Map<string, number>();
  private readonly banned = new Map<string, string>();
  private readonly lastSeen = new Map<string, number>();

  /** Records a have-list (from a query or an announcement). */
  setHaves(peerId: string, list: HaveList): void {
    if (!list.count) return;
    const byPackage = this.haves.get(peerId) ?? new Map<number, Bitfield>();
    byPackage.set(list.packageId, Bitfield.fromBase64(list.count, list.bits));
    this.haves.set(peerId, byPackage);
  }

  /** Forgets that the peer holds a chunk (it answered "missing"). */
  clearHave(peerId: string, pkg: HeldPackage, digest: Digest): void {
    const bits = this.haves.get(peerId)?.get(pkg.packageId);
    if (!bits) return;
    const fresh = new Bitfield(bits.length);
    pkg.manifest.chunks.forEach((c, i) => { if (bits.get(i) && c.digest !== digest) fresh.set(i); });
    this.haves.get(peerId)!.set(pkg.packageId, fresh);
  }

  /** For each chunk of the packages, the (unbanned) peers whose have-lists include it. */
  sources(packages: HeldPackage[], peerIds: string[]): Map<Digest, string[]> {
    const out = new Map<Digest, string[]>();
    for (const peerId of peerIds) {
      if (this.banned.has(peerId)) continue;
      for (const p of packages) {
        const bits = this.haves.get(peerId)?.get(p.packageId);
        if (!bits || bits.length !== p.manifest.chunks.length) continue;
        p.manifest.chunks.forEach((c, i) => {
          if (!bits.get(i)) return;
          const list = out.get(c.digest) ?? [];
          if (!list.includes(peerId)) list.push(peerId);
          out.set(c.digest, list);
        });
      }
    }
    return out;
  }

  inFlightTo(peerId: string): number {
    return this.inFlight.get(peerId) ?? 0;
  }

  /** Counts a request in flight to the peer; call the returned function when it ends. */
  begin(peerId: string): () => void {
    this.inFlight.set(peerId, this.inFlightTo(peerId) + 1);
    return () => this.inFlight.set(peerId, this.inFlightTo(peerId) - 1);
  }

  ban(peerId: string, reason: string): void {
    this.banned.set(peerId, reason);
    this.haves.delete(peerId);
  }

  isBanned(peerId: string): boolean {
    return this.banned.has(peerId);
  }

  bannedPeers(): string[] {
    return [...this.banned.keys()];
  }

  /** Marks the peer reachable now. */
  seen(peerId: string, at: number): void {
    this.lastSeen.set(peerId, at);
  }

  lastSeenAt(peerId: string): number | undefined {
    return this.lastSeen.get(peerId);
  }

  /** Drops everything known about peers no longer listed. */
  retain(peerIds: Set<string>): void {
    for (const map of [this.haves, this.lastSeen]) for (const id of map.keys()) if (!peerIds.has(id)) map.delete(id);
  }
}
