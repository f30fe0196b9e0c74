import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SimulationReport } from '../../../simulations/report/report-types.js';
import type { CheckinsRun } from '../../../simulations/checkins/run-checkins.js';
import { runHoming } from '../../helpers/cli.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'homing-sim-checkins-test-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

describe('homing sim checkins', () => {
  it('runs 200 virtual agents through one compressed interval against a real coordinator with no errors and writes a sane report', async () => {
    const out = tempDir();
    // Priming takes simulated minutes at this speedup; in steady state a session is one interval old, within its lifetime.
    const res = await runHoming(['sim', 'checkins', '--clients', '200', '--speedup', '600', '--ticket-lifetime', '2400', '--idle-seconds', '4', '--out', out], {}, 150_000);
    expect(res.stderr).not.toMatch(/homing: /);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/N=200: errors: 0 {2}PASS/);
    expect(res.stdout).toContain(join(out, 'report.html'));

    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as SimulationReport;
    expect(report).toMatchObject({ kind: 'checkins', parameters: { clients: [200], scenario: 'steady', speedup: 600, ticketLifetimeSeconds: 2400 } });
    const [run] = (report.data as { runs: CheckinsRun[] }).runs;
    expect(run!.totals.errors).toBe(0);
    expect(run!.errorMessages).toEqual({});
    // One interval: almost every device's phase falls inside it (jitter may push a few past the end).
    expect(run!.totals.checkins).toBeGreaterThanOrEqual(150);
    expect(run!.totals.connections).toBeGreaterThanOrEqual(run!.totals.checkins);
    expect(run!.totals.resumed).toBe(run!.totals.connections);
    expect(run!.latency.count).toBe(run!.totals.checkins);
    expect(run!.latency.p50).toBeGreaterThan(0);
    expect(run!.latency.p99).toBeGreaterThanOrEqual(run!.latency.p50);
    // Every connection's first request timed its handshake, a part of that request's time.
    expect(run!.handshake.count).toBe(run!.totals.connections);
    expect(run!.handshake.max).toBeLessThanOrEqual(run!.latency.max);
    expect(run!.simLoopDelay.maxMs).toBeGreaterThanOrEqual(run!.simLoopDelay.p99Ms);
    expect(run!.coordinatorLoopDelay!.maxMs).toBeGreaterThanOrEqual(run!.coordinatorLoopDelay!.p99Ms);
    expect(run!.series.reduce((n, s) => n + s.checkins, 0)).toBe(run!.totals.checkins);
    expect(run!.resources.length).toBeGreaterThan(0);
    expect(run!.resources.every((s) => (s.coordinatorRssMiB ?? 0) > 10)).toBe(true);
    expect(run!.coordinatorCpuMsPerCheckin).toBeGreaterThan(0);
    expect(run!.extrapolatedCores).toBeGreaterThan(0);
    expect(run!.measuredRateCores).toBeGreaterThan(0);

    expect(report.charts.map((c) => c.id)).toEqual(['rate-200', 'latency-200', 'cpu-200', 'memory-200']);
    for (const chart of report.charts) for (const s of chart.series) expect(s.values).toHaveLength(chart.x.length);
    const targets = report.summary.filter((r) => r.pass !== undefined).map((r) => r.label);
    expect(targets).toEqual(['N=200: errors', 'N=200: request latency p50 / p95 / p99', 'N=200: coordinator CPU at the real 30-minute rate']);

    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-/);
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('refuses bad options with a clear message and exit code 2, before starting anything', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--clients', '12x'], /--clients must be an integer from 1 to 1000000, got "12x"/],
      [['--clients', '100,0'], /--clients must be an integer/],
      [['--scenario', 'stampede'], /--scenario must be one of steady, herd, policy-wave, got "stampede"/],
      [['--speedup', '-3'], /--speedup must be a number/],
      [['--idle-seconds', '0'], /--idle-seconds must be a number from 1 to 3600, got "0"/],
      [['--url', 'http://127.0.0.1:1'], /--url must be an https:\/\/ URL/],
      [['--url', 'https://127.0.0.1:1'], /--url needs --ca-file/],
      [['--ca-file', 'x.pem'], /--ca-file and --coordinator-pid go with --url/],
      [['--no-such-option'], /unknown option '--no-such-option'/],
    ];
    const results = await Promise.all(cases.map(([args]) => runHoming(['sim', 'checkins', ...args])));
    for (const [i, [args, message]] of cases.entries()) {
      expect(results[i]!.stderr, args.join(' ')).toMatch(message);
      expect(results[i]!.code, args.join(' ')).toBe(2);
      expect(results[i]!.stderr, args.join(' ')).not.toContain('starting coordinator');
    }
    const help = await runHoming(['sim', 'checkins', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--scenario <name>\s+steady \| herd \| policy-wave/);
    expect(help.stdout).toContain('Scenarios:');
  });
});
