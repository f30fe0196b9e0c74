import { join } from 'node:path';
import type { Libp2p } from '@libp2p/interface';
import { SystemClock, type Clock } from '../../shared/clock.js';
import type { ChunkStore } from '../../shared/content/chunk-store.js';
import type { Logger } from '../../shared/logger.js';
import { serveChunks } from '../../shared/mesh/chunk-protocol.js';
import { buildHaveList, serveHaves } from '../../shared/mesh/have-protocol.js';
import { loadPeerKey, meshAddresses, startMeshHost } from '../../shared/mesh/mesh-host.js';
import { PeerAllowlist } from '../../shared/mesh/peer-allowlist.js';
import { TokenBucket } from '../../shared/mesh/token-bucket.js';
import type { MeshPeer } from '../../shared/schemas/nodes.js';
import type { NodeService } from './node-service.js';
import type { PackageCatalog } from './package-catalog.js';
import type { TrafficLedger } from './traffic-ledger.js';

/** The coordinator's origin store taking part in the mesh as a seeder. */
export interface OriginSeeder {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** How nodes reach the seeder (undefined before start). */
  peer(): MeshPeer | undefined;
}

/** What the libp2p origin seeder needs. */
export interface OriginSeederDeps {
  dataDir: string; host: string; port: number;
  store: ChunkStore; catalog: PackageCatalog; nodes: NodeService; traffic: TrafficLedger; logger: Logger;
  /** Upload cap in bytes per second; 0 = none. */
  uploadBytesPerSecond?: number;
  clock?: Clock;
  /** How often the allowlist is re-read from the nodes table (revocations apply at once). */
  refreshMs?: number;
}

/** Serves chunks and have-lists of the origin store to live nodes over libp2p. */
export class Libp2pOriginSeeder implements OriginSeeder {
  private host: Libp2p | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly allowlist = new PeerAllowlist();

  constructor(private readonly deps: OriginSeederDeps) {}

  async start(): Promise<void> {
    const { deps } = this;
    const privateKey = await loadPeerKey(join(deps.dataDir, 'origin-peer.key'));
    await this.refresh();
    const host = await startMeshHost({ privateKey, host: deps.host, port: deps.port, allowlist: this.allowlist });
    this.host = host;
    const rate = deps.uploadBytesPerSecond ?? 0;
    const upload = new TokenBucket(rate, Math.max(rate, 4 * 1024 * 1024), deps.clock ?? new SystemClock());
    await serveChunks(host, { store: deps.store, upload, onServed: (_peer, req, bytes) => deps.traffic.addOriginEgress(req.packageId, bytes) });
    await serveHaves(host, async (packageId) => {
      const signed = (await deps.catalog.manifests([packageId])).get(packageId);
      return signed ? buildHaveList(packageId, signed.manifest.chunks, deps.store) : undefined;
    });
    deps.nodes.onRevoke((peerId) => { this.allowlist.remove(peerId); void this.hangUp([peerId]); });
    this.timer = setInterval(() => { void this.refresh().catch((err) => deps.logger.warn({ err }, 'origin allowlist refresh failed')); }, deps.refreshMs ?? 2_000);
    this.timer.unref();
    deps.logger.info({ addrs: meshAddresses(host) }, 'origin seeder listening');
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.host?.stop();
    this.host = undefined;
  }

  peer(): MeshPeer | undefined {
    return this.host ? { peerId: this.host.peerId.toString(), addrs: meshAddresses(this.host), origin: true, nodeId: null } : undefined;
  }

  private async refresh(): Promise<void> {
    const removed = this.allowlist.replace((await this.deps.nodes.liveNodes()).map((n) => n.peerId!));
    await this.hangUp(removed);
  }

  private async hangUp(peerIds: string[]): Promise<void> {
    const host = this.host;
    if (!host) return;
    for (const conn of host.getConnections()) if (peerIds.includes(conn.remotePeer.toString())) await conn.close().catch(() => {});
  }
}
