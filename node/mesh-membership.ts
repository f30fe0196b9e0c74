import type { Libp2p, PeerId } from '@libp2p/interface';
import { peerIdFromString } from '@libp2p/peer-id';
import { multiaddr } from '@multiformats/multiaddr';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { PeerAllowlist } from '../shared/mesh/peer-allowlist.js';
import type { MeshPeer } from '../shared/schemas/nodes.js';
import type { PeerTable } from './peer-table.js';

/**
 * Keeps the mesh in line with the coordinator's peer list: the gater admits exactly the listed
 * (and not banned) PeerIds, connections to peers that left the list are closed, listed peers are dialed.
 */
export class MeshMembership {
  private listed: MeshPeer[] = [];
  /** Parsed PeerIds of the listed peers (parsing one decodes base58 and a multihash: not on every call). */
  private ids = new Map<string, PeerId>();

  constructor(
    private readonly host: Libp2p,
    private readonly allowlist: PeerAllowlist,
    private readonly table: PeerTable,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Applies a fresh peer list from the coordinator. */
  async apply(peers: MeshPeer[], signal?: AbortSignal): Promise<void> {
    this.listed = peers.filter((p) => !this.table.isBanned(p.peerId));
    this.ids = new Map(this.listed.map((p) => [p.peerId, this.ids.get(p.peerId) ?? peerIdFromString(p.peerId)]));
    const removed = this.allowlist.replace(this.listed.map((p) => p.peerId));
    this.table.retain(new Set(this.listed.map((p) => p.peerId)));
    await this.disconnect(removed);
    await Promise.all(this.listed.map((p) => this.connect(p, signal)));
  }

  /** Cuts a peer off at once (bad bytes); it is admitted again by the first peer-list refresh after its ban expires. Returns the ban's length (ms). */
  async ban(peerId: string, reason: string): Promise<number> {
    const ms = this.table.ban(peerId, reason);
    this.allowlist.remove(peerId);
    this.listed = this.listed.filter((p) => p.peerId !== peerId);
    await this.disconnect([peerId]);
    return ms;
  }

  /** Listed peers that are nodes (not the origin). */
  nodePeers(): string[] {
    return this.listed.filter((p) => !p.origin).map((p) => p.peerId);
  }

  /** The origin seeder's PeerId, when listed. */
  origin(): string | undefined {
    return this.listed.find((p) => p.origin)?.peerId;
  }

  /** Listed peers with an open connection (origin included). */
  connected(): string[] {
    return this.listed.map((p) => p.peerId).filter((id) => this.host.getConnections(this.target(id)).length > 0);
  }

  /** The PeerId object to open streams to. */
  target(peerId: string): PeerId {
    return this.ids.get(peerId) ?? peerIdFromString(peerId);
  }

  /** Closes the connections to a peer that stopped answering over them (a partition can leave one open but dead); the next refresh dials it afresh. */
  async reconnect(peerId: string): Promise<void> {
    this.table.disconnected(peerId);
    await this.disconnect([peerId]);
  }

  private async connect(peer: MeshPeer, signal?: AbortSignal): Promise<void> {
    if (this.host.getConnections(this.target(peer.peerId)).length) {
      this.table.seen(peer.peerId, this.clock.now());
      return;
    }
    for (const addr of peer.addrs) {
      try {
        await this.host.dial(multiaddr(addr), { signal: AbortSignal.any([AbortSignal.timeout(5_000), ...(signal ? [signal] : [])]) });
        this.table.seen(peer.peerId, this.clock.now());
        return;
      } catch (err) {
        this.logger.debug({ peer: peer.peerId, addr, err: (err as Error).message }, 'dial failed');
      }
    }
  }

  private async disconnect(peerIds: string[]): Promise<void> {
    for (const id of peerIds) await this.host.hangUp(this.target(id)).catch(() => {});
  }
}
