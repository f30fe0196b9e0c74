import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { nginxConfig } from '../../../simulations/bench/nginx-config.js';
import { parseBenchOptions } from '../../../simulations/bench/options.js';
import { processCpuSeconds, procCpuAvailable } from '../../../simulations/bench/proc-cpu.js';
import { formatReport, type BenchReport } from '../../../simulations/bench/report.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

const ka = (rps: number) => ({ requestsPerSecond: rps, p50Ms: 2, p99Ms: 9, ok: rps * 10, non2xx: 0, errors: 0, serverCpuUsPerRequest: 50, serverCores: 0.9, otherCores: 0 });
const conn = (ms: number) => ({ connections: 100, resumed: 100, failures: 0, serverCpuMsPerConnection: ms, wallSeconds: 1, otherCores: 0 });

describe('bench:checkin building blocks', () => {
  it('parses flags with defaults and refuses bad values', () => {
    const o = parseBenchOptions(['--duration', '3', '--connections', '20', '--json']);
    expect(o).toMatchObject({ durationSeconds: 3, connections: 20, json: true, handshakes: 500, baseline: 'auto', sourceMaps: false, fleet: { computers: 10_000, policies: 200, groups: 50 } });
    expect(parseBenchOptions(['--fleet', '0']).fleet.computers).toBe(0);
    expect(() => parseBenchOptions(['--policies', '-1'])).toThrow(/policies/);
    expect(() => parseBenchOptions(['--connections', '0'])).toThrow(/connections/);
    expect(() => parseBenchOptions(['--baseline', 'apache'])).toThrow(/baseline/);
    expect(() => parseBenchOptions(['--bogus'])).toThrow();
  });

  it('renders an nginx config that verifies client certs and answers POST with the JSON', () => {
    const base = { dir: '/tmp/x', port: 1234, certFile: '/d/server.pem', keyFile: '/d/server-key.pem', caFile: '/d/ca.pem', bodyFile: '/tmp/x/checkin.json', workers: 1 };
    const inline = nginxConfig({ ...base, body: '{"status":"not-modified"}' });
    expect(inline).toContain('ssl_verify_client on;');
    expect(inline).toContain('ssl_client_certificate /d/ca.pem;');
    expect(inline).toContain(`return 200 '{"status":"not-modified"}';`);
    const viaFile = nginxConfig({ ...base, body: '{"a":"$x"}' });
    expect(viaFile).not.toContain('return 200');
    expect(viaFile).toContain('error_page 405 =200 $uri;');
  });

  it('prints ratios with PASS/FAIL against the targets', () => {
    const report: BenchReport = {
      setup: { node: 'v20', cpus: 2, baseline: 'nginx', connections: 100, durationSeconds: 10, handshakes: 500, handshakeConcurrency: 4, devices: 4, responseBytes: 71 },
      keepAlive: { coordinator: ka(20_000), baseline: ka(40_000), rounds: { coordinator: [18_000, 20_000, 19_500], baseline: [40_000, 36_000, 39_000] }, ratio: 0.5, target: 0.5, pass: true },
      nodeCeiling: ka(16_000),
      handshake: { coordinatorResumed: conn(2), coordinatorFull: conn(3), baselineFull: conn(1), baselineResumed: conn(0.5), ratio: 2, target: 1.5, pass: false },
      notes: ['hello'],
    };
    const text = formatReport(report);
    expect(text).toMatch(/keep-alive check-ins\/s.*0\.50×.*PASS/);
    expect(text).toMatch(/keep-alive check-ins\/s \(100 conns, best of 3 × 10 s\)/);
    expect(text).toMatch(/every round \(check-ins\/s\)\s+18000 \/ 20000 \/ 19500\s+40000 \/ 36000 \/ 39000/);
    expect(text).toMatch(/server CPU ms per new connection.*2\.00×.*FAIL/);
    expect(text).toContain('note: hello');
    expect(text).toMatch(/stack ceiling: bare Node https handler\s+16000\s+40000\s+0\.40×/);
    expect(text).toMatch(/coordinator \/ bare Node handler\s+1\.25×/);
  });

  it.skipIf(!procCpuAvailable())('reads a process\'s CPU time from /proc', () => {
    const before = processCpuSeconds(process.pid);
    const until = Date.now() + 150;
    while (Date.now() < until) { /* burn CPU */ }
    expect(processCpuSeconds(process.pid)).toBeGreaterThan(before);
  });
});

// The full run loads the machine for ~30 s, so it is opt-in: HOMING_BENCH_SMOKE=1 npm test.
describe.skipIf(!process.env.HOMING_BENCH_SMOKE || !procCpuAvailable())('bench:checkin end to end (HOMING_BENCH_SMOKE=1)', () => {
  it('runs a tiny bench against the bare Node baseline and prints machine-readable results', async () => {
    // A missed target exits 1 (the report is still printed); anything else is a failure of the bench itself.
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--import', 'tsx', 'simulations/bench/checkin.ts',
      '--duration', '1', '--warmup', '0', '--connections', '10', '--handshakes', '20', '--devices', '1', '--baseline', 'node', '--json',
      '--fleet', '40', '--policies', '6', '--groups', '3',
    ], { cwd: repoRoot, maxBuffer: 10 * 1024 * 1024 }).catch((err: { code?: number; stdout?: string }) => {
      if (err.code === 1 && err.stdout) return { stdout: err.stdout };
      throw err;
    });
    const report = JSON.parse(stdout) as BenchReport;
    expect(report.setup.baseline).toBe('node-https');
    expect(report.keepAlive.coordinator.requestsPerSecond).toBeGreaterThan(0);
    expect(report.keepAlive.baseline.non2xx).toBe(0);
    expect(report.handshake.coordinatorResumed.resumed).toBeGreaterThan(0);
    expect(report.handshake.baselineFull.resumed).toBe(0);
    expect(report.fleet?.seeded).toMatchObject({ computers: 40, policies: 6, groups: 3 });
    expect(report.fleet?.keepAlive.non2xx).toBe(0);
  }, 120_000);
});
