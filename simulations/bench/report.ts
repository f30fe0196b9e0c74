import type { ConnectionResult } from './connection-load.js';
import type { SeededFleet } from './fleet-seed.js';
import type { KeepAliveResult } from './keepalive-load.js';

/** The not-modified check-in measured again with a large fleet, policies and smart groups behind the coordinator. */
export interface FleetRun { seeded: SeededFleet; keepAlive: KeepAliveResult; rounds: number[]; ratio: number; target: number; pass: boolean }

/** Throughput target: coordinator check-ins/s at least this fraction of the baseline's. */
export const THROUGHPUT_TARGET = 0.5;
/** CPU target: coordinator CPU per (resumed) connection at most this multiple of the baseline's per full handshake. */
export const HANDSHAKE_TARGET = 1.5;

/** Everything one run measured, as printed by `--json`. */
export interface BenchReport {
  setup: {
    node: string; cpus: number; baseline: string; connections: number; durationSeconds: number;
    handshakes: number; handshakeConcurrency: number; devices: number; responseBytes: number;
  };
  keepAlive: {
    /** Each server's best round. */
    coordinator: KeepAliveResult; baseline: KeepAliveResult;
    /** Check-ins/s of every round, in the order run. */
    rounds: { coordinator: number[]; baseline: number[] };
    ratio: number; target: number; pass: boolean;
  };
  /** With nginx as the baseline: a bare Node https handler under the same load (what any Node server can reach at most). */
  nodeCeiling?: KeepAliveResult;
  fleet?: FleetRun;
  handshake: {
    /** The figure judged: coordinator, agent-like client with TLS session resumption. */
    coordinatorResumed: ConnectionResult;
    /** For information: coordinator with full handshakes. */
    coordinatorFull: ConnectionResult;
    baselineFull: ConnectionResult;
    /** For information: baseline with resumption. */
    baselineResumed: ConnectionResult;
    ratio: number; target: number; pass: boolean;
  };
  notes: string[];
}

const f = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
const rounds = (rates: number[]) => rates.map((n) => f(n, 0)).join(' / ');
const resumedShare = (r: ConnectionResult) => `${r.resumed}/${r.connections} resumed`;

/** Renders the report as an aligned plain-text table plus notes. */
export function formatReport(r: BenchReport): string {
  const b = r.setup.baseline;
  const rows: string[][] = [
    ['metric', 'coordinator', `baseline (${b})`, 'ratio', 'target', 'result'],
    [`keep-alive check-ins/s (${r.setup.connections} conns, best of ${r.keepAlive.rounds.coordinator.length} × ${r.setup.durationSeconds} s)`, f(r.keepAlive.coordinator.requestsPerSecond, 0), f(r.keepAlive.baseline.requestsPerSecond, 0), `${f(r.keepAlive.ratio)}×`, `≥ ${THROUGHPUT_TARGET}×`, verdict(r.keepAlive.pass)],
    ['  every round (check-ins/s)', rounds(r.keepAlive.rounds.coordinator), rounds(r.keepAlive.rounds.baseline), '', '', ''],
    ['  latency p50 (ms)', f(r.keepAlive.coordinator.p50Ms, 0), f(r.keepAlive.baseline.p50Ms, 0), '', '', ''],
    ['  latency p99 (ms)', f(r.keepAlive.coordinator.p99Ms, 0), f(r.keepAlive.baseline.p99Ms, 0), '', '', ''],
    ['  server CPU µs per check-in (cores busy)', `${f(r.keepAlive.coordinator.serverCpuUsPerRequest ?? NaN, 0)} (${f(r.keepAlive.coordinator.serverCores ?? NaN)})`, `${f(r.keepAlive.baseline.serverCpuUsPerRequest ?? NaN, 0)} (${f(r.keepAlive.baseline.serverCores ?? NaN)})`, '', '', ''],
    ...(r.nodeCeiling ? [
      ['  stack ceiling: bare Node https handler', f(r.nodeCeiling.requestsPerSecond, 0), f(r.keepAlive.baseline.requestsPerSecond, 0), `${f(r.nodeCeiling.requestsPerSecond / r.keepAlive.baseline.requestsPerSecond)}×`, '', 'info'],
      ['    coordinator / bare Node handler', '', '', `${f(r.keepAlive.coordinator.requestsPerSecond / r.nodeCeiling.requestsPerSecond)}×`, '', 'info'],
    ] : []),
    ...(r.fleet ? [
      [`  with ${r.fleet.seeded.computers} computers, ${r.fleet.seeded.policies} policies, ${r.fleet.seeded.groups} groups`, f(r.fleet.keepAlive.requestsPerSecond, 0), f(r.keepAlive.baseline.requestsPerSecond, 0), `${f(r.fleet.ratio)}×`, `≥ ${THROUGHPUT_TARGET}×`, verdict(r.fleet.pass)],
      ['    every round (check-ins/s)', rounds(r.fleet.rounds), '', '', '', ''],
      ['    latency p99 (ms); server CPU µs per check-in', `${f(r.fleet.keepAlive.p99Ms, 0)}; ${f(r.fleet.keepAlive.serverCpuUsPerRequest ?? NaN, 0)}`, '', '', '', ''],
    ] : []),
    ['server CPU ms per new connection', `${f(r.handshake.coordinatorResumed.serverCpuMsPerConnection)} (resumed)`, `${f(r.handshake.baselineFull.serverCpuMsPerConnection)} (full)`, `${f(r.handshake.ratio)}×`, `≤ ${HANDSHAKE_TARGET}×`, verdict(r.handshake.pass)],
    ['  info: full handshake, no resumption', f(r.handshake.coordinatorFull.serverCpuMsPerConnection), f(r.handshake.baselineFull.serverCpuMsPerConnection), f(r.handshake.coordinatorFull.serverCpuMsPerConnection / r.handshake.baselineFull.serverCpuMsPerConnection) + '×', '', ''],
    ['  info: resumed session', f(r.handshake.coordinatorResumed.serverCpuMsPerConnection), f(r.handshake.baselineResumed.serverCpuMsPerConnection), f(r.handshake.coordinatorResumed.serverCpuMsPerConnection / r.handshake.baselineResumed.serverCpuMsPerConnection) + '×', '', ''],
    ['  sessions resumed (client view)', resumedShare(r.handshake.coordinatorResumed), resumedShare(r.handshake.baselineResumed), '', '', ''],
    ['noise: other processes, max cores busy', f(Math.max(r.keepAlive.coordinator.otherCores ?? 0, r.handshake.coordinatorResumed.otherCores, r.handshake.coordinatorFull.otherCores)), f(Math.max(r.keepAlive.baseline.otherCores ?? 0, r.handshake.baselineFull.otherCores, r.handshake.baselineResumed.otherCores)), '', '', ''],
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const line = (row: string[]) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  const out = [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)];
  out.push('', `setup: node ${r.setup.node}, ${r.setup.cpus} CPUs, ${r.setup.devices} devices, ${r.setup.handshakes} connections per handshake figure (${r.setup.handshakeConcurrency} at a time), not-modified answer ${r.setup.responseBytes} bytes`);
  for (const note of r.notes) out.push(`note: ${note}`);
  return out.join('\n');
}
