import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SimulationReport } from '../../simulations/report/report-types.js';
import { runHoming } from '../helpers/cli.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'homing-sim-rollout-test-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

interface BuildingData {
  name: string; primaryId: number; failoverId: number; agents: number; agentsRight: number; coordinatorInSegmentShare: number | null;
  bytes: Record<'own primary' | 'own failover' | 'other buildings' | 'origin', number>;
}

// Real coordinator and four `homing node` processes (127.91–127.92), 20 virtual agents; building 2's primary is SIGKILLed at 30%.
describe('homing sim rollout', () => {
  it('rolls a package out to every agent from its own building, within 1.05× origin egress, and finishes a building from its failover', async () => {
    const out = tempDir();
    const res = await runHoming(['sim', 'rollout', '--agents', '20', '--segments', '2', '--package-size', '3MiB', '--concurrency', '4',
      '--kill-primary', '2', '--kill-at', '0.3', '--first-octet', '91', '--report', out], {}, 220_000);
    expect(res.stderr).not.toMatch(/homing: /);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/agents with the right payload digest +20 of 20 +\[target all\] PASS/);
    expect(res.stdout).not.toContain('FAIL');

    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as SimulationReport;
    expect(report).toMatchObject({ kind: 'rollout', parameters: { agents: 20, segments: 2, killPrimary: 2 } });
    const data = report.data as {
      packageBytes: number; agentsRight: number; originEgressBytes: number; wanAgentBytes: number; failoverEvents: number;
      buildings: BuildingData[]; killed: { building: number; nodeId: number; atShare: number } | null;
    };
    expect(data.agentsRight).toBe(20);
    expect(data.packageBytes).toBeGreaterThanOrEqual(3 * 1024 * 1024);
    expect(data.originEgressBytes).toBeGreaterThanOrEqual(data.packageBytes);
    expect(data.originEgressBytes).toBeLessThanOrEqual(1.05 * data.packageBytes);
    expect(data.wanAgentBytes).toBeLessThanOrEqual(0.05 * 20 * data.packageBytes);

    // Every agent's bytes add up to the package, and came from its own building's nodes (the coordinator agrees from the agents' reports).
    for (const b of data.buildings) {
      expect(b.agents).toBe(10);
      expect(b.agentsRight).toBe(10);
      const total = Object.values(b.bytes).reduce((n, x) => n + x, 0);
      expect(total).toBeGreaterThanOrEqual(10 * data.packageBytes);
      expect((b.bytes['own primary'] + b.bytes['own failover']) / total).toBeGreaterThanOrEqual(0.95);
      expect(b.coordinatorInSegmentShare).toBeGreaterThanOrEqual(0.95);
    }
    // Building 2 lost its primary mid-rollout: its agents moved to the failover.
    expect(data.killed).toMatchObject({ building: 1, nodeId: data.buildings[1]!.primaryId });
    expect(data.killed!.atShare).toBeGreaterThanOrEqual(0.3);
    expect(data.buildings[1]!.bytes['own failover']).toBeGreaterThan(0);
    expect(data.buildings[1]!.bytes['own primary']).toBeGreaterThan(0);
    expect(data.failoverEvents).toBeGreaterThan(0);

    const checks = report.summary.filter((r) => r.pass !== undefined);
    expect(checks.map((r) => r.pass)).toEqual([true, true, true, true]);
    expect(report.charts.map((c) => c.id)).toEqual(['completion', 'bytes-by-source', 'throughput']);
    for (const chart of report.charts) for (const s of chart.series) expect(s.values).toHaveLength(chart.x.length);
    const completion = report.charts[0]!.series[0]!.values;
    expect(completion[completion.length - 1]).toBe(100);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<html');
  }, 240_000);

  it('refuses bad options with a clear message and exit code 2, before starting anything', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--agents', '12x'], /--agents must be a whole number from 1 to 100000, got "12x"/],
      [['--package-size', '64 parsecs'], /--package-size must be a size like 64MiB/],
      [['--segments', '3', '--kill-primary', '4'], /--kill-primary 4 names no building: there are 3/],
      [['--kill-at', '1.5'], /--kill-at must be a share between 0 and 1/],
      [['--node-rate', 'fast'], /--node-rate must be a size like/],
    ];
    for (const [args, message] of cases) {
      const res = await runHoming(['sim', 'rollout', ...args], {}, 60_000);
      expect(res.stderr).toMatch(message);
      expect(res.code).toBe(2);
    }
  });
});
