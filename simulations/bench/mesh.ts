/**
 * `npm run bench:mesh`: replicate a package (default 256 MiB) from the origin to N node processes over
 * the libp2p mesh under equal upload caps, and print the makespan beside the chunked-broadcast lower bound
 * and a hub-and-spoke copy measured in the same run; the origin's bytes; single-stream libp2p vs HTTPS.
 */
import '../../shared/polyfill.js';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { measureHubAndSpoke } from './mesh/hub-and-spoke.js';
import { parseMeshBenchOptions, USAGE, type MeshBenchOptions } from './mesh/options.js';
import { measureReplication, publishPackage } from './mesh/replication.js';
import { checkCapacity } from './mesh/capacity.js';
import { broadcastLowerBoundMs, formatMeshReport, hubLowerBoundMs, TARGETS, type MeshBenchReport } from './mesh/report.js';
import { measureStreamThroughput } from './mesh/stream-throughput.js';
import { startSwarm } from './mesh/swarm.js';
import { log } from './progress.js';
import type { Resources } from './resources.js';
import { runBench } from './run-bench.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

async function main(opts: MeshBenchOptions, resources: Resources): Promise<MeshBenchReport> {
  const u = opts.mbit * 1e6 / 8;
  const loadBefore = loadavg();
  log(`single-stream throughput on loopback: ${opts.streamMib} MiB over libp2p and over Node HTTPS…`);
  const stream = await measureStreamThroughput(opts.streamMib);
  log(`starting the coordinator and ${opts.nodes} nodes…`);
  const swarm = await startSwarm(resources, { repoRoot, nodes: opts.nodes, uploadBytesPerSecond: u, inProcess: opts.inProcess, log });
  log(swarm.shaping.note);
  try {
    log(`building and uploading a ${opts.mib} MiB package…`);
    const pkg = await publishPackage(resources, swarm, opts.mib);
    const replication = await measureReplication(swarm, pkg);
    if (replication.verifiedChunks !== opts.nodes * pkg.chunks.length) throw new Error(`only ${replication.verifiedChunks} of ${opts.nodes * pkg.chunks.length} chunk copies verify`);
    const lowerBoundMs = broadcastLowerBoundMs(pkg.size, u, opts.nodes, pkg.chunks.length);
    const hubBoundMs = hubLowerBoundMs(pkg.size, u, opts.nodes);
    const hubMeasured = opts.hub ? await measureHubAndSpoke(resources, swarm, pkg.payloadFile, u, (opts.hubMib ?? Infinity) * 2 ** 20) : undefined;
    const hubMs = hubMeasured?.makespanMs ?? hubBoundMs;
    const ratio = replication.makespanMs / lowerBoundMs;
    const speedup = hubMs / replication.makespanMs;
    const originRatio = replication.originBytes / pkg.size;
    const streamRatio = stream.libp2pBytesPerSecond / stream.httpsBytesPerSecond;
    return {
      setup: {
        node: process.version, cpus: cpus().length, shaping: swarm.shaping.kind, shapingNote: swarm.shaping.note,
        nodes: opts.nodes, packageBytes: pkg.size, chunks: pkg.chunks.length, uploadBytesPerSecond: u, loadBefore, loadAfter: loadavg(),
      },
      replication: { ...replication, lowerBoundMs, ratio, pass: ratio <= TARGETS.lowerBound },
      hub: hubMeasured
        ? { ...hubMeasured, measured: true, boundMs: hubBoundMs, speedup, pass: speedup >= TARGETS.hubSpeedup }
        : { measured: false, boundMs: hubBoundMs, speedup, pass: speedup >= TARGETS.hubSpeedup },
      origin: { bytes: replication.originBytes, ratio: originRatio, pass: originRatio <= TARGETS.originBytes },
      stream: { ...stream, ratio: streamRatio, pass: streamRatio >= TARGETS.stream },
      capacity: checkCapacity({
        nodes: opts.nodes, cores: cpus().length, uploadBytesPerSecond: u, libp2pBytesPerSecond: stream.libp2pBytesPerSecond,
        deliveredBytes: opts.nodes * pkg.size, meshCpuSeconds: replication.meshCpuSeconds, machineBusyCores: replication.machineBusyCores, lowerBoundMs,
      }),
    };
  } finally {
    await swarm.stop();
  }
}

await runBench({
  name: 'bench:mesh', usage: USAGE, parse: parseMeshBenchOptions, run: main, format: formatMeshReport,
  passed: (r) => r.replication.pass && r.hub.pass && r.origin.pass && r.stream.pass,
});
