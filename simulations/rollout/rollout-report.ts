import type { ReportChart, ReportSummaryRow, SimulationReport } from '../report/report-types.js';
import type { AgentOutcome } from './rollout-agent.js';
import { SOURCE_CLASSES, type RolloutMeter, type SourceClass } from './rollout-meter.js';
import type { RolloutOptions } from './rollout-options.js';

/** What a finished rollout measured, as `buildRolloutReport` needs it. */
export interface RolloutResult {
  options: RolloutOptions;
  startedAt: Date;
  finishedAt: Date;
  buildings: { name: string; segmentId: number; primaryId: number; failoverId: number }[];
  packageBytes: number;
  chunkCount: number;
  prestageSeconds: number;
  enrollSeconds: number;
  makespanSeconds: number;
  outcomes: AgentOutcome[];
  meter: RolloutMeter;
  /** Bytes the origin sent over the mesh (coordinator ledger), and to nodes outside building 1. */
  originMeshBytes: number;
  originMeshWanBytes: number;
  /** Bytes nodes got from other nodes (coordinator ledger; in-building and across buildings). */
  peerBytes: number;
  /** Each segment's in-building share as the coordinator computed it from the agents' download reports. */
  coordinatorInSegmentShare: (number | null)[];
  killed?: { building: number; nodeId: number; atSeconds: number; atShare: number };
}

const MiB = 1024 * 1024;
const mib = (n: number) => `${(n / MiB).toFixed(1)} MiB`;
const pct = (n: number) => `${(n * 100).toFixed(2)}%`;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor(s.length / 2)]! : NaN; };

/** Median milliseconds per agent: check-in (bundle and manifest verified), download (all chunks), and report. */
function phases(outcomes: AgentOutcome[]): string {
  const done = outcomes.filter((o) => o.checkedInMs !== undefined && o.downloadedMs !== undefined);
  const ms = (f: (o: AgentOutcome) => number) => median(done.map(f)).toFixed(0);
  return `check-in ${ms((o) => o.checkedInMs! - o.startedMs)} ms, download ${ms((o) => o.downloadedMs! - o.checkedInMs!)} ms, report ${ms((o) => o.finishedMs - o.downloadedMs!)} ms`;
}

/** The checks the issue asks of a rollout, each with its measured value and PASS/FAIL. */
export function rolloutChecks(r: RolloutResult): ReportSummaryRow[] {
  const agents = r.outcomes.length;
  const right = r.outcomes.filter((o) => o.ok).length;
  const bytes = r.meter.bytesByBuilding;
  const total = sum(bytes.map((b) => sum(Object.values(b))));
  const own = sum(bytes.map((b) => b['own primary'] + b['own failover']));
  const originToAgents = sum(bytes.map((b) => b.origin));
  const originEgress = r.originMeshBytes + originToAgents;
  const rows: ReportSummaryRow[] = [
    { label: 'agents with the right payload digest', value: `${right} of ${agents}`, target: 'all', pass: right === agents && agents === r.options.agents },
    { label: 'origin egress / package size', value: `${(originEgress / r.packageBytes).toFixed(3)}× (${mib(originEgress)})`, target: '≤ 1.05×', pass: originEgress <= 1.05 * r.packageBytes },
    { label: 'agent bytes from their own building\'s nodes', value: pct(total ? own / total : 0), target: '≥ 95%', pass: total > 0 && own / total >= 0.95 },
  ];
  if (r.killed) {
    const k = r.killed;
    const b = bytes[k.building]!;
    const mine = r.outcomes.filter((o) => o.building === k.building);
    const finished = mine.filter((o) => o.ok).length;
    const inBuilding = sum(Object.values(b)) ? (b['own primary'] + b['own failover']) / sum(Object.values(b)) : 0;
    rows.push({
      label: `building ${k.building + 1} finishes from its failover after its primary is killed`,
      value: `${finished} of ${mine.length} agents right; ${mib(b['own failover'])} from the failover; ${pct(inBuilding)} in-building`,
      target: 'all agents, failover serves, ≥ 95% in-building',
      pass: finished === mine.length && b['own failover'] > 0 && inBuilding >= 0.95,
    });
  }
  return rows;
}

function charts(r: RolloutResult): ReportChart[] {
  const samples = r.meter.samples;
  const x = samples.map((s) => s.seconds);
  const agentsIn = (b: number) => Math.max(1, Math.floor((r.options.agents - 1 - b) / r.buildings.length) + 1);
  const completion: ReportChart = {
    id: 'completion', title: 'Agents finished over time', xLabel: 'seconds since the rollout began', yLabel: '% of agents', x,
    series: [
      { label: 'all agents', values: samples.map((s) => (100 * s.agentsDone) / r.options.agents) },
      ...r.buildings.map((b, i) => ({ label: b.name, values: samples.map((s) => (100 * s.doneByBuilding[i]!) / agentsIn(i)) })),
    ],
  };
  const throughput: ReportChart = {
    id: 'throughput', title: 'Bytes delivered to agents per second', xLabel: 'seconds since the rollout began', yLabel: 'MiB/s', x: x.slice(1),
    series: [{ label: 'all agents', values: samples.slice(1).map((s, i) => (s.bytes - samples[i]!.bytes) / MiB / Math.max(1e-3, s.seconds - samples[i]!.seconds)) }],
  };
  const bySource: ReportChart = {
    id: 'bytes-by-source', title: 'Bytes agents received by source, per building', xLabel: 'building', yLabel: 'MiB', x: r.buildings.map((_, i) => i + 1),
    series: SOURCE_CLASSES.map((c: SourceClass) => ({ label: c, values: r.meter.bytesByBuilding.map((b) => b[c] / MiB) })),
  };
  return [completion, bySource, throughput];
}

/** The rollout's `report.json` content: parameters, summary table with the checks, charts and raw data. */
export function buildRolloutReport(r: RolloutResult): SimulationReport {
  const bytes = r.meter.bytesByBuilding;
  const total = sum(bytes.map((b) => sum(Object.values(b))));
  const other = sum(bytes.map((b) => b['other buildings']));
  const originOutside = sum(bytes.slice(1).map((b) => b.origin));
  const failedAgents = new Set(r.meter.failovers.map((f) => f.agent));
  const summary: ReportSummaryRow[] = [
    { label: 'topology', value: `${r.buildings.length} buildings × (primary + failover) node processes, ${r.options.agents} virtual agents` },
    { label: 'package', value: `${mib(r.packageBytes)} in ${r.chunkCount} chunks` },
    { label: 'agents downloading at once', value: `${r.options.concurrency} (${r.options.chunksInFlight} chunks in flight each)` },
    { label: 'node upload cap', value: r.options.nodeBytesPerSecond ? `${mib(r.options.nodeBytesPerSecond)}/s per node (in-process token bucket)` : 'none (loopback)' },
    { label: 'pre-staging (all nodes hold the package)', value: `${r.prestageSeconds.toFixed(1)} s` },
    { label: 'enrollment', value: `${r.enrollSeconds.toFixed(1)} s` },
    { label: 'makespan (first check-in to last agent done)', value: `${r.makespanSeconds.toFixed(1)} s` },
    { label: 'per agent (median)', value: phases(r.outcomes) },
    { label: 'delivered to agents', value: `${(total / 1024 ** 3).toFixed(2)} GiB, ${(total / MiB / Math.max(1e-3, r.makespanSeconds)).toFixed(0)} MiB/s` },
    { label: 'WAN bytes to agents (other buildings\' nodes, origin outside building 1)', value: mib(other + originOutside) },
    { label: 'origin → nodes (of which outside building 1)', value: `${mib(r.originMeshBytes)} (${mib(r.originMeshWanBytes)})` },
    { label: 'node ← node replication (in-building and WAN)', value: mib(r.peerBytes) },
    { label: 'failover events (agents affected)', value: `${r.meter.failovers.length} (${failedAgents.size})` },
    ...(r.killed ? [{ label: 'primary killed', value: `building ${r.killed.building + 1}, node ${r.killed.nodeId}, at ${r.killed.atSeconds.toFixed(1)} s (${pct(r.killed.atShare)} of bytes)` }] : []),
    ...rolloutChecks(r),
  ];
  const errors = r.outcomes.filter((o) => !o.ok).slice(0, 20).map((o) => ({ agent: o.index, building: o.building + 1, error: o.error ?? `digest ${o.digest} ≠ ${o.expectedDigest}` }));
  return {
    kind: 'rollout',
    title: `Rollout of ${mib(r.packageBytes)} to ${r.options.agents} agents in ${r.buildings.length} buildings`,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt.toISOString(),
    parameters: { ...r.options },
    summary,
    charts: charts(r),
    data: {
      packageBytes: r.packageBytes,
      makespanSeconds: r.makespanSeconds,
      prestageSeconds: r.prestageSeconds,
      agentsRight: r.outcomes.filter((o) => o.ok).length,
      originEgressBytes: r.originMeshBytes + sum(bytes.map((b) => b.origin)),
      originMeshBytes: r.originMeshBytes,
      wanAgentBytes: other + originOutside,
      buildings: r.buildings.map((b, i) => ({
        ...b, bytes: bytes[i], agents: r.outcomes.filter((o) => o.building === i).length,
        agentsRight: r.outcomes.filter((o) => o.building === i && o.ok).length, coordinatorInSegmentShare: r.coordinatorInSegmentShare[i],
      })),
      killed: r.killed ?? null,
      failoverEvents: r.meter.failovers.length,
      failovers: r.meter.failovers.slice(0, 200),
      errors,
    },
  };
}
