import type { ConnectionGater, PeerId } from '@libp2p/interface';

/**
 * The PeerIds this host may talk to (live nodes and the origin, as listed by the coordinator).
 * Its gater refuses everyone else after the noise handshake has proven the remote's PeerId.
 */
export class PeerAllowlist {
  private allowed = new Set<string>();

  /** Replaces the list; returns the PeerIds that were allowed before and no longer are (to hang up on). */
  replace(peerIds: Iterable<string>): string[] {
    const next = new Set(peerIds);
    const removed = [...this.allowed].filter((id) => !next.has(id));
    this.allowed = next;
    return removed;
  }

  /** Drops one PeerId at once (a revocation), ahead of the next full refresh. */
  remove(peerId: string): void {
    this.allowed.delete(peerId);
  }

  has(peerId: PeerId | string): boolean {
    return this.allowed.has(peerId.toString());
  }

  /** A libp2p connection gater enforcing this list in both directions. */
  gater(): ConnectionGater {
    const deny = (peerId: PeerId) => !this.has(peerId);
    return {
      denyDialPeer: deny,
      denyInboundEncryptedConnection: deny,
      denyOutboundEncryptedConnection: deny,
      denyInboundUpgradedConnection: deny,
      denyOutboundUpgradedConnection: deny,
    };
  }
}
