import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { buildPackage } from '../../../coordinator/pkg/build.js';
import { uploadPackage } from '../../../coordinator/pkg/upload.js';
import { FsChunkStore } from '../../../shared/content/fs-chunk-store.js';
import type { Digest } from '../../../shared/digest.js';
import { PhaseMeter } from '../phase-meter.js';
import { machineBusySeconds } from '../proc-cpu.js';
import { progress } from '../progress.js';
import type { Resources } from '../resources.js';
import type { Swarm } from './swarm.js';

const MiB = 1024 * 1024;
/** Chunk files the progress poll checks per node every 100 ms. */
const POLL_STATS = 48;

/** A package published through the real build and upload path. */
export interface PublishedPackage { id: number; size: number; payloadFile: string; chunks: { digest: Digest; size: number }[] }

/** What one replication run measured. */
export interface ReplicationResult {
  /** Pin → last node holding every chunk. */
  makespanMs: number;
  /** Pin → each node holding every chunk. */
  nodeMs: number[];
  /** Bytes the origin sent, and the bytes of origin chunks the nodes stored (less when origin transfers were cut short). */
  originBytes: number;
  originBytesStored: number;
  peerBytes: number;
  /** Chunks re-read and verified on every node after the run. */
  verifiedChunks: number;
  /** CPU seconds the coordinator and node processes used while replicating, and cores other work kept busy. */
  meshCpuSeconds: number;
  otherCores: number;
  /** Cores the whole machine (every process and the kernel: veth, tbf) kept busy on average while replicating. */
  machineBusyCores: number;
}

/** Writes `mib` MiB of random bytes as one file, builds a package of it and uploads it to the coordinator. */
export async function publishPackage(resources: Resources, swarm: Swarm, mib: number): Promise<PublishedPackage> {
  const work = resources.tempDir('homing-bench-mesh-pkg-');
  const src = join(work, 'src');
  const payloadFile = join(src, 'payload.bin');
  await mkdir(src);
  const out = createWriteStream(payloadFile);
  for (let i = 0; i < mib; i++) if (!out.write(randomBytes(MiB))) await new Promise<void>((r) => out.once('drain', () => r()));
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  const file = join(work, 'bench.hpkg');
  await buildPackage({ srcDir: src, name: 'bench-mesh', version: `${Date.now()}`, outFile: file });
  const summary = await uploadPackage({ file, coordinatorUrl: swarm.coordinator.url, caPem: swarm.coordinator.caPem, token: await adminToken(swarm) });
  const detail = await swarm.api.api('GET', `/api/v1/packages/${summary.id}`);
  if (detail.status !== 200) throw new Error(`package ${summary.id} not readable: ${JSON.stringify(detail.body)}`);
  return { id: summary.id, size: summary.size, payloadFile, chunks: detail.body.manifest.manifest.chunks };
}

async function adminToken(swarm: Swarm): Promise<string> {
  const res = await swarm.api.api('POST', '/api/v1/auth/token', { username: 'admin', password: swarm.coordinator.adminPassword }, { token: null });
  return res.body.token;
}

/** Pins the package to every node and times until each holds every chunk; then verifies every copy and reads the byte accounting. */
export async function measureReplication(swarm: Swarm, pkg: PublishedPackage): Promise<ReplicationResult> {
  const stores = swarm.nodes.map((n) => new FsChunkStore(join(n.dataDir, 'chunks')));
  const held = swarm.nodes.map(() => new Set<Digest>());
  const nodeMs: number[] = swarm.nodes.map(() => NaN);
  const cursor = swarm.nodes.map(() => 0);
  const total = swarm.nodes.length * pkg.chunks.length;
  const bar = progress(`replicating ${(pkg.size / MiB).toFixed(0)} MiB to ${swarm.nodes.length} nodes`, total, 'chunk copies');
  const meter = new PhaseMeter([...swarm.coordinator.pids(), ...swarm.nodes.map((n) => n.pid)]);
  const busyBefore = machineBusySeconds();
  const started = performance.now();
  // All pins at once: the holder list every node computes origin assignments from settles in one step.
  await Promise.all(swarm.nodes.map(async (n) => {
    const pinned = await swarm.api.api('POST', `/api/v1/nodes/${n.nodeId}/pins`, { packageId: pkg.id });
    if (pinned.status !== 201) throw new Error(`pinning failed: ${JSON.stringify(pinned.body)}`);
  }));
  try {
    for (;;) {
      await Promise.all(stores.map(async (store, i) => {
        if (!Number.isNaN(nodeMs[i]!)) return;
        // At most POLL_STATS files per node and poll, taking turns through the missing ones: stat-ing every missing
        // chunk of every node ten times a second would take CPU from the processes measured.
        const missing = pkg.chunks.filter((c) => !held[i]!.has(c.digest));
        const from = cursor[i]! % Math.max(1, missing.length);
        const batch = [...missing.slice(from), ...missing.slice(0, from)].slice(0, POLL_STATS);
        cursor[i] = from + batch.length;
        for (const c of batch) if (await store.has(c.digest)) held[i]!.add(c.digest);
        if (held[i]!.size === pkg.chunks.length) nodeMs[i] = performance.now() - started;
      }));
      bar.update(held.reduce((n, s) => n + s.size, 0));
      if (nodeMs.every((ms) => !Number.isNaN(ms))) break;
      if (performance.now() - started > 30 * 60_000) throw new Error('replication did not finish within 30 minutes');
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    bar.stop();
  }
  const makespanMs = Math.max(...nodeMs);
  const usage = meter.stop();
  const machineBusyCores = (machineBusySeconds() - busyBefore) / usage.wallSeconds;
  let verifiedChunks = 0;
  for (const store of stores) for (const c of pkg.chunks) if (await store.get(c.digest)) verifiedChunks++;
  // Nodes report what they stored in heartbeats (every 30 s) and the coordinator flushes origin bytes every 5 s: wait until
  // the nodes' reports add up to every copy and the origin's count covers what they stored from it.
  const deadline = Date.now() + 45_000;
  let traffic = { originBytes: 0, peerBytes: 0, byNode: [] as { fromOrigin: number; fromPeers: number }[] };
  while (Date.now() < deadline) {
    const items = (await swarm.api.api('GET', '/api/v1/distribution/traffic')).body.items as (typeof traffic & { packageId: number })[];
    traffic = items.find((i) => i.packageId === pkg.id) ?? traffic;
    const fromOrigin = traffic.byNode.reduce((n, b) => n + b.fromOrigin, 0);
    if (fromOrigin + traffic.peerBytes >= swarm.nodes.length * pkg.size && traffic.originBytes >= fromOrigin) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return {
    makespanMs, nodeMs, originBytes: traffic.originBytes, originBytesStored: traffic.byNode.reduce((n, b) => n + b.fromOrigin, 0), peerBytes: traffic.peerBytes, verifiedChunks,
    meshCpuSeconds: usage.serverCpuSeconds, otherCores: usage.otherCores, machineBusyCores,
  };
}
