import type { ChunkingResult } from './chunking.js';
import type { DeltaResult } from './delta.js';
import type { DownloadResult } from './download.js';

/** Everything one `bench:package` run measured, as printed by `--json`. */
export interface PackageBenchReport {
  setup: { node: string; cpus: number; mib: number; runs: number; changePercent: number; loadAverageBefore: number[]; loadAverageAfter: number[] };
  chunking?: ChunkingResult;
  /** Whole `pkg build` of the payload tree (tar, chunk, hash, spool, package file), seconds; information. */
  buildSeconds?: number;
  /** `pkg upload` of the first version to the coordinator, seconds; information. */
  uploadSeconds?: number;
  download?: DownloadResult;
  delta?: DeltaResult;
  notes: string[];
}

const MiB = 1024 * 1024;
const f = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const rate = (bytes: number, seconds: number) => `${f(bytes / MiB / seconds, 0)} MiB/s`;
const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
const pct = (share: number) => `${f(share * 100, 2)}%`;

/** True when every measured ratio met its target. */
export function allPass(r: PackageBenchReport): boolean {
  return [r.chunking?.pass, r.download?.pass, r.delta?.pass].every((p) => p !== false);
}

/** Renders the report as an aligned plain-text table plus setup and notes. */
export function formatPackageReport(r: PackageBenchReport): string {
  const rows: string[][] = [['metric', 'homing', 'baseline', 'ratio', 'target', 'result']];
  const c = r.chunking;
  if (c) {
    rows.push([`chunk + hash ${c.bytes / MiB} MiB (${c.chunks} chunks, ${c.hashWorkers} hash worker${c.hashWorkers === 1 ? '' : 's'})`, rate(c.bytes, c.product.best), `${rate(c.bytes, c.sha256sum.best)} sha256sum`, `${f(c.ratio)}×`, `≥ ${c.target}×`, verdict(c.pass)]);
    rows.push(['  info: openssl dgst -sha256 (SHA-NI/asm)', '', rate(c.bytes, c.openssl.best), `${f(c.openssl.best / c.product.best)}×`, '', '']);
  }
  if (r.buildSeconds !== undefined) rows.push(['  info: whole pkg build (tar, chunk, hash, write, check)', rate(r.setup.mib * MiB, r.buildSeconds), '', '', '', '']);
  if (r.uploadSeconds !== undefined) rows.push(['  info: pkg upload to the origin (verify + store)', rate(r.setup.mib * MiB, r.uploadSeconds), '', '', '', '']);
  const d = r.download;
  if (d) {
    rows.push([`verified download ${f(d.agentBytes / MiB, 0)} MiB, origin over mTLS`, rate(d.agentBytes, d.agent.best), `${rate(d.baselineBytes, d.baseline.best)} nginx→curl, sha256sum`, `${f(d.ratio)}×`, `≥ ${d.target}×`, verdict(d.pass)]);
    rows.push(['  info: curl alone, without sha256sum', '', rate(d.baselineBytes, d.curlOnly.best), `${f((d.agentBytes / d.agent.best) / (d.baselineBytes / d.curlOnly.best))}×`, '', '']);
    rows.push(['  info: CPU s per run: server + client', `${f(d.cpu.coordinator)} + ${f(d.cpu.agent)}`, `${f(d.cpu.nginx)} + ${f(d.cpu.curlAndSha256sum)}`, `${f((d.cpu.coordinator + d.cpu.agent) / (d.cpu.nginx + d.cpu.curlAndSha256sum))}×`, '', '']);
    rows.push(['  noise: other processes, most cores busy', f(d.otherCores), '', '', '', '']);
  }
  const x = r.delta;
  if (x) {
    rows.push([`${r.setup.changePercent}% change (${f(x.changedBytes / MiB)} MiB): bytes new at the origin`, `${f(x.uploadNewBytes / MiB)} MiB`, `${f(x.payloadBytes / MiB, 0)} MiB payload`, pct(x.uploadShare), `≤ ${pct(x.target)}`, verdict(x.uploadShare <= x.target)]);
    rows.push([`${r.setup.changePercent}% change: bytes the agent fetched (${x.downloadChunks}/${x.totalChunks} chunks)`, `${f(x.downloadBytes / MiB)} MiB`, `${f(x.payloadBytes / MiB, 0)} MiB payload`, pct(x.downloadShare), `≤ ${pct(x.target)}`, verdict(x.downloadShare <= x.target)]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd();
  const out = [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)];
  const s = r.setup;
  out.push('', `setup: node ${s.node}, ${s.cpus} CPUs, best of ${s.runs} run(s) per figure, load average ${s.loadAverageBefore.map((n) => f(n)).join('/')} before, ${s.loadAverageAfter.map((n) => f(n)).join('/')} after (1/5/15 min)`);
  for (const note of r.notes) out.push(`note: ${note}`);
  out.push('', `overall: ${allPass(r) ? 'PASS' : 'FAIL'}`);
  return out.join('\n');
}
