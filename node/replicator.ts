import type { Libp2p, PeerId } from '@libp2p/interface';
import type { Clock } from '../shared/clock.js';
import type { ChunkStore } from '../shared/content/chunk-store.js';
import { ChunkDigestMismatchError } from '../shared/content/errors.js';
import type { Digest } from '../shared/digest.js';
import type { Logger } from '../shared/logger.js';
import { requestChunk } from '../shared/mesh/chunk-protocol.js';
import { MeshError } from '../shared/mesh/errors.js';
import { Announcer, buildHaveList, requestHaves, type HaveList } from '../shared/mesh/have-protocol.js';
import type { TokenBucket } from '../shared/mesh/token-bucket.js';
import { originAssignee, pickRequests, type ChunkPick } from './chunk-picker.js';
import type { DesiredSet, HeldPackage } from './desired-set.js';
import type { MeshMembership } from './mesh-membership.js';
import type { PeerTable } from './peer-table.js';
import type { SpaceGuard } from './space-guard.js';
import type { TrafficCounters } from './traffic-counters.js';

/** What the replicator works with. */
export interface ReplicatorDeps {
  host: Libp2p; store: ChunkStore; desired: DesiredSet; table: PeerTable; membership: MeshMembership;
  space: SpaceGuard; traffic: TrafficCounters; download: TokenBucket; clock: Clock; logger: Logger;
  perPeerInFlight: number; originInFlight: number; originGraceMs: number;
  /** Wait after a package becomes desired before asking the origin, so the coordinator's holder list has settled. */
  originDelayMs: number;
  /** Scheduling round and have-list refresh periods. */
  roundMs?: number; haveRefreshMs?: number;
}

/**
 * Pulls the desired packages' missing chunks: several peers at once, rarest first, bounded requests
 * per peer, origin last; every chunk verified by the store before it becomes visible; a peer that
 * sends bad bytes is banned. Have-lists are queried periodically and pushed as announcements.
 */
export class Replicator {
  private readonly inFlight = new Set<Digest>();
  private held = new Set<Digest>();
  private readonly dirty = new Set<number>();
  private wakeUp: () => void = () => {};
  private refreshSoon: () => void = () => {};
  /** Packages and connected peers seen in the last round: a new one gets its have-lists asked (and ours told) at once. */
  private knownPackages = new Set<number>();
  private knownPeers = new Set<string>();
  /** Have-list queries in a row that a connected peer left unanswered. */
  private readonly unanswered = new Map<string, number>();
  private readonly startedAt: number;
  /** Start times (clock ms) of this node's origin requests in flight, and the smoothed duration of finished ones. */
  private readonly originStarts = new Map<Digest, number>();
  private originRequestMs = 0;
  private readonly announcer: Announcer;

  constructor(private readonly deps: ReplicatorDeps) {
    this.startedAt = deps.clock.now();
    this.announcer = new Announcer(deps.host);
  }

  /** Re-reads which desired chunks the store holds (after start and after the desired set changes). */
  async syncHeld(): Promise<void> {
    const held = new Set<Digest>();
    for (const digest of this.deps.desired.chunks().keys()) if (await this.deps.store.has(digest)) held.add(digest);
    this.held = held;
    this.wake();
  }

  /** Desired chunks still missing. */
  missingCount(): number {
    return [...this.deps.desired.chunks().keys()].filter((d) => !this.held.has(d)).length;
  }

  /** This node's have-list for a package (served to peers), from what it knows it holds; undefined for packages it does not want. */
  async haveList(packageId: number): Promise<HaveList | undefined> {
    const pkg = this.deps.desired.get(packageId);
    // The held set, not the store: answering every peer's query and announcing every new chunk must not stat every chunk file.
    return pkg ? buildHaveList(packageId, pkg.manifest.chunks, { has: async (digest) => this.held.has(digest) }) : undefined;
  }

  /** Takes a peer's announcement into account. */
  onAnnouncement(from: PeerId, list: HaveList): void {
    this.deps.table.setHaves(from.toString(), list);
    this.deps.table.seen(from.toString(), this.deps.clock.now());
    this.wake();
  }

  /** Runs scheduling rounds and have-list refreshes until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const { clock } = this.deps;
    const refresher = (async () => {
      while (!signal.aborted) {
        await this.refreshHaves(signal);
        this.wake();
        await Promise.race([clock.sleep(this.deps.haveRefreshMs ?? 2_000, signal), new Promise<void>((r) => { this.refreshSoon = r; })]).catch(() => {});
      }
    })();
    while (!signal.aborted) {
      await this.round(signal);
      await this.flushAnnouncements(signal);
      await Promise.race([clock.sleep(this.deps.roundMs ?? 250, signal), new Promise<void>((r) => { this.wakeUp = r; })]).catch(() => {});
    }
    await refresher;
  }

  private wake(): void {
    this.wakeUp();
  }

  private async refreshHaves(signal: AbortSignal): Promise<void> {
    const { membership, table, desired, clock } = this.deps;
    const packages = desired.packages();
    await Promise.all(membership.connected().flatMap((peerId) => packages.map(async (p) => {
      try {
        table.setHaves(peerId, await requestHaves(this.deps.host, membership.target(peerId), p.packageId, { signal, timeoutMs: 5_000 }));
        table.seen(peerId, clock.now());
        this.unanswered.delete(peerId);
      } catch (err) {
        this.deps.logger.debug({ peer: peerId, err: (err as Error).message }, 'have-list query failed');
        if (err instanceof MeshError && err.code === 'MESH_NO_RESPONSE' && !signal.aborted) await this.noAnswer(peerId);
      }
    })));
  }

  /**
   * A connection a partition cut stays open but dead until TCP gives up (minutes): a peer that left two queries
   * in a row unanswered, with none of this node's chunk requests to it in flight, is hung up on and dialed afresh.
   */
  private async noAnswer(peerId: string): Promise<void> {
    const misses = (this.unanswered.get(peerId) ?? 0) + 1;
    this.unanswered.set(peerId, misses);
    if (misses < 2 || this.deps.table.inFlightTo(peerId) > 0) return;
    this.unanswered.delete(peerId);
    this.deps.logger.info({ peer: peerId }, 'peer left have-list queries unanswered over an open connection: reconnecting');
    await this.deps.membership.reconnect(peerId);
  }

  /** Notes newly desired packages (announced at once, even empty) and newly connected peers (their have-lists asked at once). */
  private noteChanges(connected: Set<string>): void {
    const packages = new Set(this.deps.desired.packages().map((p) => p.packageId));
    const fresh = [...packages].filter((id) => !this.knownPackages.has(id));
    for (const id of fresh) this.dirty.add(id);
    const joined = [...connected].some((p) => !this.knownPeers.has(p));
    this.knownPackages = packages;
    this.knownPeers = connected;
    this.deps.table.connectedNow(connected, this.deps.clock.now());
    if (fresh.length || joined) this.refreshSoon();
  }

  private async round(signal: AbortSignal): Promise<void> {
    const { desired, table, membership } = this.deps;
    const connected = new Set(membership.connected());
    this.noteChanges(connected);
    const chunks = desired.chunks();
    const missing = [...chunks.keys()].filter((d) => !this.held.has(d) && !this.inFlight.has(d));
    if (!missing.length) return;
    const picks = pickRequests({
      missing,
      sources: table.sources(desired.packages(), membership.nodePeers().filter((p) => connected.has(p))),
      inFlight: (p) => table.inFlightTo(p),
      perPeerInFlight: this.deps.perPeerInFlight,
      originInFlight: this.deps.originInFlight,
      origin: [membership.origin()].find((o) => o && connected.has(o)),
      mayUseOrigin: (digest) => this.mayUseOrigin(digest, chunks.get(digest)!.packageId, connected),
    });
    for (const pick of picks) {
      const { size, packageId } = chunks.get(pick.digest)!;
      const release = await this.deps.space.reserve(size);
      if (!release) break;
      this.inFlight.add(pick.digest);
      void this.fetch(pick, packageId, size, signal).finally(release);
    }
  }

  /**
   * The origin sends each chunk to one assigned node (the same choice on every node); the others wait
   * for it. An assignee that has been unreachable, or has made no progress on the package, for the
   * grace period is passed over and the next one in line takes the chunk, so a stuck node delays a
   * chunk by the grace period instead of forever.
   */
  private mayUseOrigin(digest: Digest, packageId: number, connected: Set<string>): boolean {
    const self = this.deps.host.peerId.toString();
    const pkg = this.deps.desired.get(packageId);
    if (!pkg || this.deps.clock.now() - pkg.since < this.deps.originDelayMs || this.awaitsHolders(pkg, connected)) return false;
    let candidates = [...new Set([self, ...pkg.holders])].filter((p) => !this.deps.table.isBanned(p));
    for (;;) {
      const assignee = originAssignee(digest, candidates);
      if (assignee === self || !assignee) return true;
      if (!this.passedOver(assignee, pkg, connected)) return false;
      candidates = candidates.filter((p) => p !== assignee);
    }
  }

  /**
   * True while another node that should hold the package has not sent its have-list of it yet and still may: it has
   * been connected, or out of reach, for no longer than the grace period (counted from when this node learned the
   * package at the earliest). Until then the origin waits: a node that has just learned a package, or is back from a
   * partition, would otherwise take chunks from the origin that its peers hold, before their connections and lists return.
   */
  private awaitsHolders(pkg: HeldPackage, connected: Set<string>): boolean {
    const { table, clock, originGraceMs } = this.deps;
    const self = this.deps.host.peerId.toString();
    const now = clock.now();
    return pkg.holders.some((p) => {
      if (p === self || table.isBanned(p) || table.knowsHaves(p, pkg.packageId)) return false;
      const since = connected.has(p) ? table.connectedSince(p) : table.lastSeenAt(p);
      return now - Math.max(pkg.since, since ?? this.startedAt) <= originGraceMs;
    });
  }

  /**
   * True when the peer has been unreachable for longer than the grace period, or connected without progress on
   * the package for longer than the grace period or, when the origin is slower than that, three of this node's
   * own origin requests (then every node is slow and none is stuck: taking its chunks would only send them twice).
   */
  private passedOver(peerId: string, pkg: HeldPackage, connected: Set<string>): boolean {
    const { table, clock, originGraceMs, originDelayMs } = this.deps;
    const now = clock.now();
    if (!connected.has(peerId)) return now - (table.lastSeenAt(peerId) ?? this.startedAt) > originGraceMs;
    const oldest = Math.max(0, ...[...this.originStarts.values()].map((t) => now - t));
    const allowance = Math.max(originGraceMs, 3 * Math.max(this.originRequestMs, oldest));
    return now - Math.max(pkg.since + originDelayMs, table.lastProgressAt(peerId, pkg.packageId) ?? 0) > allowance;
  }

  private async fetch(pick: ChunkPick, packageId: number, size: number, signal: AbortSignal): Promise<void> {
    const { table, membership, store, traffic, logger } = this.deps;
    const done = table.begin(pick.peerId);
    try {
      // The cap shapes requests (sizes come from the manifest), so no bytes wait received but unstored.
      await this.deps.download.take(size, signal);
      const started = this.deps.clock.now();
      if (pick.origin) this.originStarts.set(pick.digest, started);
      const bytes = await requestChunk(this.deps.host, membership.target(pick.peerId), { digest: pick.digest, packageId }, { signal });
      if (pick.origin) {
        const ms = this.deps.clock.now() - started;
        this.originRequestMs = this.originRequestMs ? 0.8 * this.originRequestMs + 0.2 * ms : ms;
      }
      await store.put(pick.digest, bytes);
      this.held.add(pick.digest);
      traffic.add(packageId, pick.origin ? 'fromOrigin' : 'fromPeers', bytes.length);
      for (const p of this.deps.desired.packages()) if (p.manifest.chunks.some((c) => c.digest === pick.digest)) this.dirty.add(p.packageId);
    } catch (err) {
      if (err instanceof ChunkDigestMismatchError) {
        const ms = await membership.ban(pick.peerId, 'sent corrupt chunk');
        logger.warn({ peer: pick.peerId, digest: pick.digest, banSeconds: ms / 1000 }, 'peer sent bytes that do not match the chunk digest: banned');
      } else if (err instanceof MeshError && err.code === 'MESH_CHUNK_UNAVAILABLE') {
        const pkg = this.deps.desired.get(packageId);
        if (pkg) table.clearHave(pick.peerId, pkg, pick.digest);
      } else if (!signal.aborted) {
        logger.debug({ peer: pick.peerId, digest: pick.digest, err: (err as Error).message }, 'chunk request failed');
      }
    } finally {
      done();
      this.originStarts.delete(pick.digest);
      this.inFlight.delete(pick.digest);
      this.wake();
    }
  }

  private async flushAnnouncements(signal: AbortSignal): Promise<void> {
    if (!this.dirty.size) return;
    const ids = [...this.dirty];
    this.dirty.clear();
    const origin = this.deps.membership.origin();
    const peers = this.deps.membership.connected().filter((p) => p !== origin);
    for (const id of ids) {
      const list = await this.haveList(id);
      if (!list) continue;
      for (const p of peers) this.announcer.announce(this.deps.membership.target(p), list, signal);
    }
  }
}
