import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckinsRun } from '../../../simulations/checkins/run-checkins.js';
import type { SimulationReport } from '../../../simulations/report/report-types.js';
import { runHoming } from '../../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'homing-sim-fleet-dir-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const fleets = join(root, 'fleets');
const sim = (args: string[], out: string) => runHoming(['sim', 'checkins', '--fleet-dir', fleets, '--speedup', '600', '--duration', '600', '--idle-seconds', '2', '--out', join(root, out), ...args], {}, 150_000);
const runsOf = (out: string) => (JSON.parse(readFileSync(join(root, out, 'report.json'), 'utf8')) as SimulationReport & { data: { runs: CheckinsRun[] } });

describe('homing sim checkins --fleet-dir', () => {
  it('enrolls and keeps one fleet per client count, then reuses them: same devices, no enrollment, no errors, a scaling table', async () => {
    const first = await sim(['--clients', '50,30'], 'first');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain(`kept the fleet in ${join(fleets, '50')}`);
    expect(first.stderr).toContain(`kept the fleet in ${join(fleets, '30')}`);
    const devices50 = readFileSync(join(fleets, '50', 'devices.txt'), 'utf8');
    expect(devices50.trim().split('\n')).toHaveLength(50);

    const again = await sim(['--clients', '50,30'], 'again');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toMatch(/enrolling \d+ virtual devices/);
    expect(again.stderr).toContain(`using the 50 devices kept in ${join(fleets, '50')}`);
    expect(readFileSync(join(fleets, '50', 'devices.txt'), 'utf8')).toBe(devices50);
    expect(again.stdout).toMatch(/How the cost grows with N:\n\s+clients\s+check-ins\s+errors\s+p99\s+coordinator CPU per check-in\s+CPU at the real 30-min rate\s+coordinator RSS\s+simulator RSS\s+other processes\n\s+50\s+\d+\s+0\s/);

    const report = runsOf('again');
    const [r50, r30] = report.data.runs;
    expect(r50!.keptFleet?.dir).toBe(join(fleets, '50'));
    expect(r30!.keptFleet?.dir).toBe(join(fleets, '30'));
    // Every kept device checked in once more (its first check-in) with its kept certificate.
    for (const r of [r50!, r30!]) expect(r.totals.errors).toBe(0);
    expect(report.tables?.[0]).toMatchObject({ id: 'scaling', rows: [expect.arrayContaining(['50', '0']), expect.arrayContaining(['30', '0'])] });
    expect(report.summary.find((row) => row.label === 'N=50: devices')?.value).toContain(`kept in ${join(fleets, '50')}`);
  });

  it('refuses a kept fleet that does not match, with a clear message, exit 2 and nothing started', async () => {
    const broken = (name: string, damage: (dir: string) => void) => {
      const dir = join(root, 'broken', name);
      cpSync(join(fleets, '30'), join(dir, '30'), { recursive: true });
      damage(join(dir, '30'));
      return dir;
    };
    const cases: Array<[string, RegExp, boolean]> = [
      [broken('interrupted', (d) => rmSync(join(d, 'fleet.json'))), /holds no fleet\.json \(an enrollment was interrupted/, false],
      [broken('other-ca', (d) => writeFileSync(join(d, 'coordinator', 'ca.pem'), readFileSync(join(fleets, '50', 'coordinator', 'ca.pem')))), /the coordinator data dir's CA .* is not the one the devices were enrolled with/, false],
      [broken('short', (d) => writeFileSync(join(d, 'devices.txt'), readFileSync(join(d, 'devices.txt'), 'utf8').split('\n').slice(1).join('\n'))), /devices\.txt lists 29 devices, the manifest 30/, false],
      [broken('expiring', (d) => {
        const m = JSON.parse(readFileSync(join(d, 'fleet.json'), 'utf8')) as Record<string, unknown>;
        writeFileSync(join(d, 'fleet.json'), JSON.stringify({ ...m, certificatesExpireAt: new Date(Date.now() + 3_600_000).toISOString() }));
      }), /device certificates expire at/, false],
      // The files agree, but the coordinator's database holds other devices: found once it is up.
      [broken('other-devices', (d) => {
        const lines = readFileSync(join(d, 'devices.txt'), 'utf8').split('\n');
        lines[0] = lines[0]!.replace(/^(\d+) \S+/, '$1 00000000-0000-4000-8000-000000000000');
        writeFileSync(join(d, 'devices.txt'), lines.join('\n'));
      }), /device 0 \(computer \d+\) is managed with UUID \S+ on the coordinator, not managed with 00000000-0000-4000-8000-000000000000/, true],
    ];
    const results = await Promise.all(cases.map(([dir]) => runHoming(['sim', 'checkins', '--clients', '30', '--fleet-dir', dir, '--speedup', '600', '--duration', '60', '--out', join(dir, 'out')], {}, 120_000)));
    for (const [i, [dir, message, started]] of cases.entries()) {
      const res = results[i]!;
      expect(res.stderr, dir).toMatch(message);
      expect(res.stderr, dir).toContain('[FLEET_DIR_MISMATCH]');
      expect(res.code, dir).toBe(2);
      expect(res.stderr.includes('starting coordinator'), dir).toBe(started);
      expect(res.stderr, dir).not.toMatch(/enrolling \d+ virtual devices/);
      expect(existsSync(join(dir, 'out', 'report.json')), dir).toBe(false);
    }

    const withUrl = await runHoming(['sim', 'checkins', '--fleet-dir', fleets, '--url', 'https://127.0.0.1:1', '--ca-file', 'x.pem']);
    expect(withUrl.stderr).toMatch(/--fleet-dir keeps the coordinator the simulation starts; it does not go with --url/);
    expect(withUrl.code).toBe(2);
  });
});
