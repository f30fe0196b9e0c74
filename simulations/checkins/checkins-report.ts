import type { ReportChart, ReportSummaryRow, ReportTable, SimulationReport } from '../report/report-types.js';
import type { CheckinsOptions } from './checkins-options.js';
import type { CheckinsRun } from './run-checkins.js';

/** The targets issue #8 sets. */
export const TARGETS = { steadyP99Ms: 50, steadyCorePercent: 5, herdP99Ms: 500 } as const;

const ms = (v: number) => `${v < 10 ? v.toFixed(1) : v.toFixed(0)} ms`;
const pct = (cores: number) => `${(cores * 100).toFixed(2)}% of one core`;

/** Cores other processes on the machine used on average during the run (noise). */
function otherCores(run: CheckinsRun): number {
  return run.resources.length ? run.resources.reduce((sum, r) => sum + r.otherCores, 0) / run.resources.length : 0;
}

/** Summary rows of one run; rows that check a target carry `pass`. */
export function summaryRows(run: CheckinsRun): ReportSummaryRow[] {
  const t = run.totals;
  const prefix = `N=${run.clients}: `;
  const rows: ReportSummaryRow[] = [
    { label: `${prefix}check-ins answered`, value: `${t.checkins} (${t.modified} with a new bundle) in ${run.wallSeconds.toFixed(0)} s wall = ${(run.simulatedSeconds / 60).toFixed(1)} simulated min (×${run.speedup})` },
    { label: `${prefix}check-in rate`, value: run.scenario === 'herd' ? `${(t.checkins / Math.max(1, run.wallSeconds)).toFixed(1)}/s` : `${(t.checkins / Math.max(1, run.wallSeconds)).toFixed(1)}/s compressed = ${(t.checkins / run.simulatedSeconds).toFixed(2)}/s real (${(t.checkins / run.clients / (run.simulatedSeconds / run.intervalSeconds)).toFixed(2)} per client per ${run.intervalSeconds} s interval)` },
    {
      label: `${prefix}devices`,
      value: run.keptFleet ? `kept in ${run.keptFleet.dir} (enrolled ${run.keptFleet.enrolledAt}); first check-ins ${run.primeSeconds.toFixed(0)} s`
        : `enrolled in ${run.enrollSeconds.toFixed(0)} s (${((run.enrollSeconds * 1000) / run.clients).toFixed(1)} ms each); first check-ins ${run.primeSeconds.toFixed(0)} s`,
    },
    { label: `${prefix}TLS connections resumed`, value: `${t.resumed} of ${t.connections}` },
    { label: `${prefix}shed (503 + Retry-After)`, value: String(t.shed) },
    {
      label: `${prefix}simulator kept pace (visits started > 1 s late)`,
      value: `${run.starts.lateOverSecond} of ${run.starts.visits}, longest delay ${(run.starts.maxLateMs / 1000).toFixed(1)} s${run.starts.lateOverSecond ? ': the simulator, not the coordinator, fell behind; use a lower --speedup' : ''}`,
    },
  ];
  const p = run.latency;
  const errors: ReportSummaryRow = { label: `${prefix}errors`, value: String(t.errors), target: '0', pass: t.errors === 0 };
  if (run.scenario === 'herd' && run.herd) {
    const h = run.herd;
    const lost = h.resultsQueued - h.resultsStored;
    rows.push(
      { label: `${prefix}policy results lost`, value: `${lost} (${h.resultsStored} of ${h.resultsQueued} stored by the coordinator, ${h.undelivered} still queued)`, target: '0', pass: lost === 0 && h.undelivered === 0 },
      { label: `${prefix}request latency p50 / p95 / p99`, value: `${ms(p.p50)} / ${ms(p.p95)} / ${ms(p.p99)} (max ${ms(p.max)}, ${p.count} answers incl. shed)`, target: `p99 ≤ ${TARGETS.herdP99Ms} ms`, pass: p.p99 <= TARGETS.herdP99Ms },
      { label: `${prefix}backlog drained`, value: h.drainedSeconds !== undefined ? `${h.drainedSeconds.toFixed(0)} simulated s after the first return (window ${h.windowSeconds} s)` : 'not drained before the run ended', target: `≤ ${h.drainTargetSeconds} s`, pass: h.drainedSeconds !== undefined && h.drainedSeconds <= h.drainTargetSeconds },
      errors,
    );
  } else {
    rows.push(
      errors,
      { label: `${prefix}request latency p50 / p95 / p99`, value: `${ms(p.p50)} / ${ms(p.p95)} / ${ms(p.p99)} (max ${ms(p.max)}, ${p.count} answers)`, ...(run.scenario === 'steady' ? { target: `p99 ≤ ${TARGETS.steadyP99Ms} ms`, pass: p.p99 <= TARGETS.steadyP99Ms } : {}) },
    );
  }
  const h = run.handshake;
  rows.push({
    label: `${prefix}where the latency goes`,
    value: `TLS handshake p50 / p99 ${ms(h.p50)} / ${ms(h.p99)} (${h.count} connections); event loop late by p99 / max: simulator ${ms(run.simLoopDelay.p99Ms)} / ${ms(run.simLoopDelay.maxMs)}`
      + (run.coordinatorLoopDelay ? `, coordinator ${ms(run.coordinatorLoopDelay.p99Ms)} / ${ms(run.coordinatorLoopDelay.maxMs)}` : ''),
  });
  if (run.wave) {
    const w = run.wave;
    rows.push({ label: `${prefix}devices that fetched the new bundle`, value: `${w.fetched} of ${run.clients}${w.allFetchedSeconds !== undefined ? `, all within ${w.allFetchedSeconds.toFixed(0)} simulated s of the change` : ''}`, target: 'all', pass: w.fetched === run.clients });
  }
  if (run.extrapolatedCores !== undefined) {
    rows.push({ label: `${prefix}coordinator CPU per check-in`, value: `${run.coordinatorCpuMsPerCheckin!.toFixed(2)} ms (net of ${pct(run.coordinatorIdleCores!)} idle${run.scenario === 'herd' ? '; includes result posts and shed requests' : ''})` });
    if (run.scenario !== 'herd') {
      rows.push(
        { label: `${prefix}coordinator CPU at the real ${run.intervalSeconds / 60}-minute rate`, value: `${pct(run.extrapolatedCores)} (${(run.clients / run.intervalSeconds).toFixed(2)} check-ins/s)`, ...(run.scenario === 'steady' ? { target: `≤ ${TARGETS.steadyCorePercent}%`, pass: run.extrapolatedCores * 100 <= TARGETS.steadyCorePercent } : {}) },
        { label: `${prefix}coordinator CPU at the rate this run measured`, value: `${pct(run.measuredRateCores!)} (${(t.checkins / run.simulatedSeconds).toFixed(2)} check-ins/s: the agents' schedule, jitter and the run's start)` },
      );
    }
    rows.push({ label: `${prefix}coordinator memory (peak RSS)`, value: `${run.peakCoordinatorRssMiB!.toFixed(0)} MiB` });
  }
  const other = otherCores(run);
  rows.push({ label: `${prefix}other processes on the machine`, value: `${other.toFixed(2)} cores busy on average${other > 0.25 ? ' (NOISY MACHINE: latency and CPU figures are pessimistic)' : ''}` });
  rows.push({ label: `${prefix}simulator memory (peak RSS)`, value: `${run.peakSimRssMiB.toFixed(0)} MiB for ${run.clients} virtual agents` });
  return rows;
}

/** The run's charts: rate, latency, coordinator CPU and memory. */
export function runCharts(run: CheckinsRun): ReportChart[] {
  const id = (name: string) => `${name}-${run.clients}`;
  const title = (name: string) => `${name} (N=${run.clients}, ${run.scenario})`;
  const x = run.series.map((s) => s.t);
  const rx = run.resources.map((s) => s.t);
  const charts: ReportChart[] = [
    {
      id: id('rate'), title: title('Check-ins per second'), xLabel: 'wall-clock s', yLabel: 'per second', x,
      series: [
        { label: 'check-ins', values: run.series.map((s) => s.checkins) },
        { label: 'new bundles', values: run.series.map((s) => s.modified) },
        { label: 'results posts', values: run.series.map((s) => s.results) },
        { label: 'shed (503)', values: run.series.map((s) => s.shed) },
        { label: 'errors', values: run.series.map((s) => s.errors) },
      ],
    },
    {
      id: id('latency'), title: title('Request latency percentiles'), xLabel: 'wall-clock s', yLabel: 'ms', x,
      series: [
        { label: 'p50', values: run.series.map((s) => s.p50) },
        { label: 'p95', values: run.series.map((s) => s.p95) },
        { label: 'p99', values: run.series.map((s) => s.p99) },
      ],
    },
    {
      id: id('cpu'), title: title('CPU'), xLabel: 'wall-clock s', yLabel: 'cores', x: rx,
      series: [
        { label: 'coordinator', values: run.resources.map((s) => s.coordinatorCores) },
        { label: 'simulator (virtual agents)', values: run.resources.map((s) => s.simCores) },
        { label: 'other processes', values: run.resources.map((s) => s.otherCores) },
      ],
    },
    {
      id: id('memory'), title: title('Memory (RSS)'), xLabel: 'wall-clock s', yLabel: 'MiB', x: rx,
      series: [
        { label: 'coordinator', values: run.resources.map((s) => s.coordinatorRssMiB) },
        { label: 'simulator (virtual agents)', values: run.resources.map((s) => s.simRssMiB) },
      ],
    },
  ];
  return charts;
}

/** How CPU per check-in and memory grow with N, when several client counts ran. */
function scalingChart(runs: CheckinsRun[]): ReportChart[] {
  if (runs.length < 2) return [];
  return [{
    id: 'scaling', title: 'Growth with the number of clients', xLabel: 'clients', yLabel: 'ms / MiB', x: runs.map((r) => r.clients),
    series: [
      { label: 'coordinator CPU per check-in (ms)', values: runs.map((r) => r.coordinatorCpuMsPerCheckin ?? null) },
      { label: 'coordinator peak RSS (MiB)', values: runs.map((r) => r.peakCoordinatorRssMiB ?? null) },
      { label: 'simulator peak RSS (MiB)', values: runs.map((r) => r.peakSimRssMiB) },
    ],
  }];
}

/** The report of one `homing sim checkins` invocation. */
export function checkinsReport(opts: CheckinsOptions, runs: CheckinsRun[], startedAt: Date): SimulationReport {
  return {
    kind: 'checkins',
    title: `Check-in simulation: ${opts.scenario}, ${runs.map((r) => r.clients).join(' / ')} clients`,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    parameters: { ...opts },
    summary: runs.flatMap(summaryRows),
    ...(runs.length > 1 ? { tables: [scalingTable(runs)] } : {}),
    charts: [...runs.flatMap(runCharts), ...scalingChart(runs)],
    data: { runs },
  };
}

/** How cost grows with N: one row per client count (printed, and a table in the report). */
export function scalingTable(runs: CheckinsRun[]): ReportTable {
  const orNa = (v: number | undefined, f: (v: number) => string) => (v === undefined ? 'n/a' : f(v));
  return {
    id: 'scaling', title: 'How the cost grows with N',
    columns: ['clients', 'check-ins', 'errors', 'p99', 'coordinator CPU per check-in', `CPU at the real ${runs[0]!.intervalSeconds / 60}-min rate`, 'coordinator RSS', 'simulator RSS', 'other processes'],
    rows: runs.map((r) => [
      String(r.clients), String(r.totals.checkins), String(r.totals.errors), ms(r.latency.p99),
      orNa(r.coordinatorCpuMsPerCheckin, (v) => `${v.toFixed(2)} ms`),
      orNa(r.extrapolatedCores, (v) => `${(v * 100).toFixed(2)}% of a core`),
      orNa(r.peakCoordinatorRssMiB, (v) => `${v.toFixed(0)} MiB`),
      `${r.peakSimRssMiB.toFixed(0)} MiB`,
      `${otherCores(r).toFixed(2)} cores`,
    ]),
  };
}

/** A report table as aligned text columns. */
export function formatTable(table: ReportTable): string {
  const widths = table.columns.map((c, i) => Math.max(c.length, ...table.rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i]!)).join('   ').trimEnd()}`;
  return [line(table.columns), ...table.rows.map(line)].join('\n');
}

/** The summary as text lines with PASS/FAIL. */
export function formatSummary(rows: ReportSummaryRow[]): string {
  return rows.map((r) => {
    const verdict = r.pass === undefined ? '' : `  ${r.pass ? 'PASS' : 'FAIL'} (target ${r.target})`;
    return `  ${r.label}: ${r.value}${verdict}`;
  }).join('\n');
}
