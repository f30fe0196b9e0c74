import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckinsRun } from '../../../simulations/checkins/run-checkins.js';
import type { SimulationReport } from '../../../simulations/report/report-types.js';
import { runHoming } from '../../helpers/cli.js';

const out = mkdtempSync(join(tmpdir(), 'homing-sim-herd-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('homing sim checkins --scenario herd', () => {
  it('has a coordinator that sheds a returning herd with 503 + Retry-After, and clients that back off until every queued result is stored', async () => {
    // All 100 return at once and the coordinator serves at most 8 device requests at a time, so it must shed.
    // The drain may take long in simulated time (backoff grows), so the run's cap is generous: it ends when drained.
    const res = await runHoming([
      'sim', 'checkins', '--scenario', 'herd', '--clients', '100', '--herd-window', '0', '--max-in-flight', '8', '--speedup', '100', '--duration', '36000', '--idle-seconds', '2', '--out', out,
    ], {}, 200_000);
    expect(res.stderr).not.toMatch(/homing: /);
    expect(res.code).toBe(0);

    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as SimulationReport;
    const [run] = (report.data as { runs: CheckinsRun[] }).runs;
    expect(run!.totals.shed).toBeGreaterThan(0);
    expect(run!.series.reduce((n, s) => n + s.shed, 0)).toBe(run!.totals.shed);
    // Errors (e.g. timeouts on a starved machine) are retried like sheds; what must hold is that nothing is lost.
    // Nothing lost: the coordinator stored exactly one result per client, and none is still queued.
    expect(run!.herd).toMatchObject({ resultsQueued: 100, resultsStored: 100, undelivered: 0 });
    expect(run!.herd!.drainedSeconds).toBeGreaterThan(0);
    expect(run!.totals.results).toBe(100);
    expect(run!.totals.checkins).toBeGreaterThanOrEqual(100);
    const lost = report.summary.find((r) => r.label === 'N=100: policy results lost');
    expect(lost).toMatchObject({ value: expect.stringMatching(/^0 \(100 of 100 stored/), pass: true });
    expect(res.stdout).toMatch(/N=100: policy results lost: 0 .* PASS/);
  });
});
