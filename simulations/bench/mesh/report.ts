import { CPU_BOUND_BUSY, type CapacityCheck } from './capacity.js';
import type { HubResult } from './hub-and-spoke.js';
import type { ReplicationResult } from './replication.js';
import type { StreamResult } from './stream-throughput.js';

/** Targets from issue 5. */
export const TARGETS = { lowerBound: 1.5, hubSpeedup: 5, originBytes: 1.05, stream: 0.3 } as const;

/** Everything one `bench:mesh` run measured, as printed by `--json`. */
export interface MeshBenchReport {
  setup: {
    node: string; cpus: number; shaping: 'namespaces' | 'in-process'; shapingNote: string;
    nodes: number; packageBytes: number; chunks: number; uploadBytesPerSecond: number;
    loadBefore: number[]; loadAfter: number[];
  };
  replication: ReplicationResult & { lowerBoundMs: number; ratio: number; pass: boolean };
  hub: (HubResult & { measured: true; speedup: number; pass: boolean; boundMs: number }) | { measured: false; boundMs: number; speedup: number; pass: boolean };
  origin: { bytes: number; ratio: number; pass: boolean };
  stream: StreamResult & { ratio: number; pass: boolean };
  capacity: CapacityCheck;
}

/** Chunked broadcast with M chunks and equal per-node upload u: T ≥ (F/u)·(1 + log2(N)/M). */
export function broadcastLowerBoundMs(bytes: number, uploadBytesPerSecond: number, nodes: number, chunks: number): number {
  return (bytes / uploadBytesPerSecond) * (1 + Math.log2(nodes) / chunks) * 1000;
}

/** Hub-and-spoke with origin upload u_s: T ≥ N·F/u_s. */
export function hubLowerBoundMs(bytes: number, uploadBytesPerSecond: number, nodes: number): number {
  return (nodes * bytes / uploadBytesPerSecond) * 1000;
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const x = (n: number) => `${n.toFixed(2)}×`;
const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
const hubHow = (h: HubResult) => (h.bytesEach < h.fileBytes ? `scaled from ${s(h.measuredMs)} measured for ${mb(h.bytesEach)} each` : 'measured');
const pct = (f: number) => `${(f * 100).toFixed(0)}%`;

/** Demand of the caps beside the capacity measured in this run, and whether the CPU set the pace. */
function capacityLines(c: CapacityCheck, cpus: number): string[] {
  return [
    `demand: (N+1)·u = ${mb(c.demandBytesPerSecond)}/s through noise + yamux; single-stream libp2p × ${cpus} cores = ${mb(c.streamCapacityBytesPerSecond)}/s; `
      + `the mesh spent ${(c.meshCpuSecondsPerByte * 1e9).toFixed(1)} CPU-ms per MB delivered (at most ${mb(c.meshCapacityBytesPerSecond)}/s on ${cpus} idle cores), `
      + `so reaching the lower bound takes ${c.coresAtBound.toFixed(2)} of ${cpus} cores`,
    c.cpuBound
      ? `CPU-BOUND: the machine was ≥ ${pct(CPU_BOUND_BUSY)} busy, so the figures above measure this machine's CPU, not the protocol under a bandwidth limit: use a lower --mbit (the default, 25, keeps a 2-core machine below that)`
      : `bandwidth-bound: the machine was below ${pct(CPU_BOUND_BUSY)} busy, so the caps, not the CPU, set the pace`,
  ];
}

/** Renders the report as an aligned table plus setup lines. */
export function formatMeshReport(r: MeshBenchReport): string {
  const { setup } = r;
  const rows: string[][] = [
    ['metric', 'mesh', 'baseline', 'ratio', 'target', 'result'],
    [`makespan: ${(setup.packageBytes / 2 ** 20).toFixed(0)} MiB to ${setup.nodes} nodes`, s(r.replication.makespanMs), `${s(r.replication.lowerBoundMs)} lower bound (F/u)(1+log2 N/M)`, x(r.replication.ratio), `≤ ${TARGETS.lowerBound}×`, verdict(r.replication.pass)],
    ['speed-up over hub-and-spoke', s(r.replication.makespanMs), r.hub.measured ? `${s(r.hub.makespanMs)} ${hubHow(r.hub)} (bound N·F/u ${s(r.hub.boundMs)})` : `${s(r.hub.boundMs)} bound N·F/u (not measured: --no-hub)`, x(r.hub.speedup), `≥ ${TARGETS.hubSpeedup}×`, verdict(r.hub.pass)],
    ['bytes sent by the origin', mb(r.origin.bytes), `F = ${mb(setup.packageBytes)}`, x(r.origin.ratio), `≤ ${TARGETS.originBytes}×`, verdict(r.origin.pass)],
    ['single-stream throughput, loopback', `${mb(r.stream.libp2pBytesPerSecond)}/s libp2p`, `${mb(r.stream.httpsBytesPerSecond)}/s Node HTTPS`, x(r.stream.ratio), `≥ ${TARGETS.stream}×`, verdict(r.stream.pass)],
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const line = (row: string[]) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  const sorted = [...r.replication.nodeMs].sort((a, b) => a - b);
  return [
    line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line), '',
    `setup: node ${setup.node}, ${setup.cpus} CPUs; ${setup.nodes} nodes; package ${setup.packageBytes} bytes in M = ${setup.chunks} chunks; upload cap u = ${(setup.uploadBytesPerSecond * 8 / 1e6).toFixed(0)} Mbit/s on every node and on the origin`,
    `shaping: ${setup.shapingNote}`,
    `nodes done after: first ${s(sorted[0]!)}, median ${s(sorted[Math.floor(sorted.length / 2)]!)}, last ${s(sorted[sorted.length - 1]!)}; node-to-node bytes ${mb(r.replication.peerBytes)}; ${r.replication.verifiedChunks} chunk copies re-read and verified`,
    `origin: sent ${mb(r.origin.bytes)}, of which the nodes stored ${mb(r.replication.originBytesStored)} (${x(r.replication.originBytesStored / setup.packageBytes)} F)`,
    `CPU while replicating: coordinator + nodes ${r.replication.meshCpuSeconds.toFixed(0)} CPU-s (${(r.replication.meshCpuSeconds / (r.replication.makespanMs / 1000)).toFixed(2)} of ${setup.cpus} cores on average); other processes kept ${r.replication.otherCores.toFixed(2)} cores busy; the machine was ${pct(r.capacity.busyFraction)} busy`,
    ...capacityLines(r.capacity, setup.cpus),
    `machine load (1/5/15 min) before ${setup.loadBefore.map((l) => l.toFixed(2)).join('/')}, after ${setup.loadAfter.map((l) => l.toFixed(2)).join('/')} (shared machine: other work counts against every figure)`,
  ].join('\n');
}
