import { setMaxListeners } from 'node:events';
import { mkdir, readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { SystemClock, type Clock } from '../shared/clock.js';
import { FsChunkStore } from '../shared/content/fs-chunk-store.js';
import { RemoteError, ValidationError } from '../shared/errors.js';
import { HttpClient } from '../shared/http-client.js';
import type { Logger } from '../shared/logger.js';
import { serveChunks } from '../shared/mesh/chunk-protocol.js';
import { onAnnouncements, serveHaves } from '../shared/mesh/have-protocol.js';
import { loadPeerKey, meshAddresses, startMeshHost } from '../shared/mesh/mesh-host.js';
import { PeerAllowlist } from '../shared/mesh/peer-allowlist.js';
import { TokenBucket } from '../shared/mesh/token-bucket.js';
import type { NodeHealth } from '../shared/schemas/nodes.js';
import { AgentServer } from './agent-server.js';
import type { NodeConfig } from './config.js';
import { NodeCoordinatorClient } from './coordinator-client.js';
import { DesiredSet } from './desired-set.js';
import { DeviceCertificateCache } from './device-certificates.js';
import { joinCoordinator, loadIdentity } from './identity.js';
import { MeshMembership } from './mesh-membership.js';
import { PeerTable } from './peer-table.js';
import { Replicator } from './replicator.js';
import { SpaceGuard } from './space-guard.js';
import { TrafficCounters } from './traffic-counters.js';

/** A running distribution node. */
export interface RunningNode { nodeId: number; peerId: string; httpUrl: string; stop(): Promise<void> }

/** Joins (first start) or resumes, then runs the mesh host, replication, the agent server and the coordinator loops. */
export async function startNode(config: NodeConfig, logger: Logger, clock: Clock = new SystemClock()): Promise<RunningNode> {
  await mkdir(config.dataDir, { recursive: true });
  const caPem = await readFile(config.caFile, 'utf8').catch(() => { throw new ValidationError(`cannot read --ca-file ${config.caFile}`); });
  const allowlist = new PeerAllowlist();
  const advertised = config.advertiseHost ?? config.host;
  const host = await startMeshHost({
    privateKey: await loadPeerKey(join(config.dataDir, 'peer.key')), host: config.host, port: config.p2pPort, allowlist, announceHost: config.advertiseHost,
  });
  const httpUrl = `https://${advertised.includes(':') ? `[${advertised}]` : advertised}:${config.httpPort}`;
  const stopper = new AbortController();
  // Every request of the node derives its signal from this one.
  setMaxListeners(Infinity, stopper.signal);
  const cleanups: (() => Promise<void>)[] = [async () => { await host.stop(); }];
  const stop = async () => { stopper.abort(); for (const c of cleanups.reverse()) await c().catch(() => {}); };
  try {
    const identity = await loadIdentity(config.dataDir) ?? await (async () => {
      if (!config.token) throw new ValidationError('this node has not joined yet: give a join token (--token or HOMING_NODE_TOKEN)');
      return joinCoordinator(config.dataDir, config.coordinator, caPem, {
        token: config.token, peerId: host.peerId.toString(), addrs: meshAddresses(host), httpUrl, names: [...new Set([advertised, 'localhost'])],
      });
    })();
    const client = new NodeCoordinatorClient(new HttpClient({ urls: config.coordinator, ca: identity.caPem, cert: identity.certPem, key: identity.keyPem, timeoutMs: 15_000 }));
    cleanups.push(() => client.close());
    const store = new FsChunkStore(join(config.dataDir, 'chunks'));
    await store.start();
    cleanups.push(() => store.stop());
    const desired = new DesiredSet(config.dataDir, identity.packagePublicKey, clock);
    await desired.load();
    const table = new PeerTable(clock, { baseMs: config.banSeconds * 1000, maxMs: Math.max(config.banSeconds, config.maxBanSeconds) * 1000 });
    const membership = new MeshMembership(host, allowlist, table, clock, logger);
    const space = new SpaceGuard(store, { dataDir: config.dataDir, quotaBytes: config.quotaBytes, minFreeBytes: config.minFreeBytes });
    const traffic = new TrafficCounters();
    const upload = new TokenBucket(config.uploadBytesPerSecond, Math.max(config.uploadBytesPerSecond, 4 * 1024 * 1024), clock);
    const download = new TokenBucket(config.downloadBytesPerSecond, Math.max(config.downloadBytesPerSecond, 4 * 1024 * 1024), clock);
    const replicator = new Replicator({
      host, store, desired, table, membership, space, traffic, download, clock, logger,
      perPeerInFlight: config.perPeerInFlight, originInFlight: config.originInFlight, originGraceMs: config.originGraceSeconds * 1000, originDelayMs: config.originDelaySeconds * 1000,
    });
    await replicator.syncHeld();
    await serveChunks(host, { store, upload });
    await serveHaves(host, (id) => replicator.haveList(id));
    await onAnnouncements(host, (from, list) => replicator.onAnnouncement(from, list));

    const devices = new DeviceCertificateCache((uuid, serial, signal) => client.deviceActive(uuid, serial, signal), clock, config.revocationCacheSeconds * 1000);
    const agents = new AgentServer({ store, desired, devices, traffic, upload, logger });
    agents.setIdentity(identity.certPem, identity.keyPem, identity.caPem);
    await agents.listen(config.host, config.httpPort);
    cleanups.push(() => agents.stop());

    const signal = stopper.signal;
    let heartbeatMs = identity.heartbeatSeconds * 1000;
    const health = async (): Promise<NodeHealth> => {
      const stats = await store.stats();
      return {
        freeBytes: Math.max(0, await space.freeBytes()), storedBytes: stats.bytes, chunks: stats.chunks, load: loadavg()[0] ?? 0,
        connections: agents.openConnections(), peers: membership.connected().length, bytesServed: traffic.bytesServed(), problems: space.problems(),
      };
    };
    let kept = new Set<string>();
    let lastScan = -Infinity;
    const loops = [
      every(() => heartbeatMs, async () => {
        const deltas = traffic.take();
        try {
          const answer = await client.heartbeat({ addrs: meshAddresses(host), httpUrl, health: await health(), traffic: deltas }, signal);
          heartbeatMs = answer.heartbeatSeconds * 1000;
        } catch (err) {
          traffic.restore(deltas);
          throw err;
        }
      }),
      every(() => config.peersRefreshSeconds * 1000, async () => membership.apply(await client.peers(signal), signal)),
      every(() => config.desiredRefreshSeconds * 1000, async () => {
        await desired.update(await client.desired(signal));
        // Re-reading the store (which chunks are held, which to delete) costs a syscall per chunk: do it when the
        // desired chunks change, and once a minute anyway (a chunk deleted for failing verification is fetched again).
        const keep = new Set(desired.chunks().keys());
        if (keep.size === kept.size && [...keep].every((d) => kept.has(d)) && clock.now() - lastScan < 60_000) return;
        kept = keep;
        lastScan = clock.now();
        await replicator.syncHeld();
        const deleted = await space.collect(keep);
        if (deleted) logger.info({ chunks: deleted }, 'garbage-collected chunks no longer desired');
      }),
    ].map((loop) => loop(signal, clock, logger));
    const replication = replicator.run(signal);
    cleanups.push(async () => { await Promise.allSettled([...loops, replication]); });
    logger.info({ nodeId: identity.nodeId, peerId: host.peerId.toString(), addrs: meshAddresses(host), httpUrl }, 'node running');
    return { nodeId: identity.nodeId, peerId: host.peerId.toString(), httpUrl, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Runs `task` now and then every `periodMs()` until the signal aborts; failures are logged, a revoked certificate loudly. */
function every(periodMs: () => number, task: () => Promise<void>) {
  return async (signal: AbortSignal, clock: Clock, logger: Logger): Promise<void> => {
    while (!signal.aborted) {
      try {
        await task();
      } catch (err) {
        if (signal.aborted) break;
        if (err instanceof RemoteError && err.status === 403) logger.error({ err: err.message }, 'the coordinator refuses this node (revoked?)');
        else logger.warn({ err: (err as Error).message }, 'coordinator exchange failed');
      }
      await clock.sleep(periodMs(), signal).catch(() => {});
    }
  };
}
