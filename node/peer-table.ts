import type { Clock } from '../shared/clock.js';
import type { Digest } from '../shared/digest.js';
import { Bitfield } from '../shared/mesh/bitfield.js';
import type { HaveList } from '../shared/mesh/have-protocol.js';
import type { HeldPackage } from './desired-set.js';

/** How long a ban lasts: `baseMs` for a first offence, doubled for each repeat, at most `maxMs`. */
export interface BanPolicy { baseMs: number; maxMs: number }

/** A peer's ban: why, until when (clock ms), and how many times it has been banned. */
interface Ban { reason: string; until: number; strikes: number }

/**
 * What this node knows about each mesh peer: have-lists (and when each last grew), chunk requests in
 * flight, bans (which expire, longer for repeat offenders), when it was last reachable and since when connected.
 */
export class PeerTable {
  private readonly haves = new Map<string, Map<number, Bitfield>>();
  private readonly progress = new Map<string, Map<number, number>>();
  private readonly inFlight = new Map<string, number>();
  private readonly banned = new Map<string, Ban>();
  private readonly lastSeen = new Map<string, number>();
  private readonly connectedAt = new Map<string, number>();

  constructor(private readonly clock: Clock, private readonly bans: BanPolicy = { baseMs: 60_000, maxMs: 3_600_000 }) {}

  /** Records a have-list (from a query or an announcement); a first list, or one holding more chunks than before, counts as progress. */
  setHaves(peerId: string, list: HaveList): void {
    if (!list.count) return;
    const byPackage = this.haves.get(peerId) ?? new Map<number, Bitfield>();
    const bits = Bitfield.fromBase64(list.count, list.bits);
    const before = byPackage.get(list.packageId);
    if (!before || before.length !== bits.length || bits.count() > before.count()) {
      const progress = this.progress.get(peerId) ?? new Map<number, number>();
      progress.set(list.packageId, this.clock.now());
      this.progress.set(peerId, progress);
    }
    byPackage.set(list.packageId, bits);
    this.haves.set(peerId, byPackage);
  }

  /** True once the peer has sent a have-list of the package (it knows the package; the list may be empty). */
  knowsHaves(peerId: string, packageId: number): boolean {
    return this.haves.get(peerId)?.has(packageId) ?? false;
  }

  /** When the peer's have-list of the package last grew (or first arrived); undefined if it never sent one. */
  lastProgressAt(peerId: string, packageId: number): number | undefined {
    return this.progress.get(peerId)?.get(packageId);
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
      if (this.isBanned(peerId)) continue;
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

  /** Bans the peer for the policy's base time, doubled for each earlier ban; returns how long (ms). */
  ban(peerId: string, reason: string): number {
    const strikes = (this.banned.get(peerId)?.strikes ?? 0) + 1;
    const ms = Math.min(this.bans.maxMs, this.bans.baseMs * 2 ** (strikes - 1));
    this.banned.set(peerId, { reason, until: this.clock.now() + ms, strikes });
    this.haves.delete(peerId);
    this.progress.delete(peerId);
    return ms;
  }

  /** True while a ban runs; an expired ban keeps counting as a strike for the next one. */
  isBanned(peerId: string): boolean {
    const ban = this.banned.get(peerId);
    return ban !== undefined && this.clock.now() < ban.until;
  }

  /** Marks the peer reachable now. */
  seen(peerId: string, at: number): void {
    this.lastSeen.set(peerId, at);
  }

  lastSeenAt(peerId: string): number | undefined {
    return this.lastSeen.get(peerId);
  }

  /** Records which peers have an open connection at `now`: one that had none before counts as connected from `now`. */
  connectedNow(peerIds: Set<string>, now: number): void {
    for (const id of this.connectedAt.keys()) if (!peerIds.has(id)) this.connectedAt.delete(id);
    for (const id of peerIds) if (!this.connectedAt.has(id)) this.connectedAt.set(id, now);
  }

  /** Forgets the peer's connection (it was hung up on), so a new one counts from when it opens. */
  disconnected(peerId: string): void {
    this.connectedAt.delete(peerId);
  }

  /** Since when the peer has had an open connection (as last recorded by `connectedNow`). */
  connectedSince(peerId: string): number | undefined {
    return this.connectedAt.get(peerId);
  }

  /** Drops everything known about peers no longer listed. */
  retain(peerIds: Set<string>): void {
    for (const map of [this.haves, this.progress, this.lastSeen, this.connectedAt]) for (const id of map.keys()) if (!peerIds.has(id)) map.delete(id);
  }
}
