import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { atomicWriteFile } from '../../shared/fs/atomic-write.js';
import { reportHtml } from './report-html.js';
import type { SimulationReport } from './report-types.js';

/** Rounds non-integers to 4 significant digits so report.json stays readable and small. */
function rounded(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isInteger(value) && Number.isFinite(value) ? Number(value.toPrecision(4)) : value;
}

/** Writes `dir/report.json` and the self-contained `dir/report.html` (creating `dir`); returns both paths. */
export async function writeReport(dir: string, report: SimulationReport): Promise<{ jsonPath: string; htmlPath: string }> {
  const out = resolve(dir);
  await mkdir(out, { recursive: true });
  const json = JSON.stringify(report, rounded, 2);
  const jsonPath = join(out, 'report.json');
  const htmlPath = join(out, 'report.html');
  await atomicWriteFile(jsonPath, `${json}\n`, 0o644);
  await atomicWriteFile(htmlPath, await reportHtml(JSON.parse(json) as SimulationReport), 0o644);
  return { jsonPath, htmlPath };
}

/** The default report dir: `./sim-reports/<kind>-<UTC timestamp>/`. */
export function defaultReportDir(kind: SimulationReport['kind'], now = new Date()): string {
  return join('sim-reports', `${kind}-${now.toISOString().replace(/[:.]/g, '-')}`);
}
