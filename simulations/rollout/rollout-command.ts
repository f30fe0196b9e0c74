import { Command } from 'commander';
import { EXIT, runAction } from '../../shared/cli/run-command.js';
import type { ReportSummaryRow } from '../report/report-types.js';
import { defaultReportDir } from '../report/write-report.js';
import { checkRolloutOptions, parseByteSize, parseCount, type RolloutOptions } from './rollout-options.js';
import { runRollout } from './run-rollout.js';

/** The summary table as aligned text: label, value, target and PASS/FAIL where a row checks one. */
export function formatSummary(rows: ReportSummaryRow[]): string {
  const width = Math.max(...rows.map((r) => r.label.length));
  return rows.map((r) => {
    const verdict = r.pass === undefined ? '' : `  [target ${r.target}] ${r.pass ? 'PASS' : 'FAIL'}`;
    return `  ${r.label.padEnd(width)}  ${r.value}${verdict}`;
  }).join('\n');
}

/** `homing sim rollout`: a package rollout through real node processes to thousands of virtual agents. */
export function rolloutCommand(): Command {
  return new Command('rollout')
    .description('roll a package out through a real coordinator and real node processes (a primary and a failover per building) to virtual agents, and report what it cost')
    .option('--agents <n>', 'virtual agents, spread round-robin over the buildings', '6000')
    .option('--segments <n>', 'buildings (network segments), each with a primary and a failover node', '6')
    .option('--package-size <size>', 'package payload of random bytes, e.g. 64MiB', '64MiB')
    .option('--concurrency <n>', 'agents downloading at once (the rest wait their turn, like check-ins spread over time)', '48')
    .option('--chunks-in-flight <n>', 'chunk requests at once per agent', '2')
    .option('--kill-primary <building>', 'SIGKILL this building\'s primary node (1-based) mid-rollout')
    .option('--kill-at <share>', 'when agents have received this share of all bytes', '0.3')
    .option('--node-rate <rate>', 'upload cap per node, e.g. 100Mbit or 20MiB (in-process token bucket); default none')
    .option('--first-octet <n>', 'buildings sit on 127.<n>.0.0/16, 127.<n+1>.0.0/16, …', '11')
    .option('--report <dir>', 'where report.json and report.html go (default ./sim-reports/rollout-<time>)')
    .addHelpText('after', `
Every agent checks in from its building's address (the coordinator places it in that segment and hands
out the chain: own primary, own failover, other buildings, origin), verifies the signed bundle and
manifest, streams every chunk over the chain with the real agent's failover code, checks each chunk and
the whole payload digest (nothing is written to disk) and reports the bytes per source.
Checks (PASS/FAIL; exit code 1 on any FAIL): every agent has the right digest; origin egress ≤ 1.05× the
package; ≥ 95% of agent bytes from their own building's nodes; with --kill-primary, that building
finishes from its failover.`)
    .action((raw: Record<string, string | undefined>) => runAction(async () => {
      const options: RolloutOptions = checkRolloutOptions({
        agents: parseCount('agents', raw.agents!, 1, 100_000),
        segments: parseCount('segments', raw.segments!, 1, 50),
        packageBytes: parseByteSize('package-size', raw.packageSize!, 1024),
        concurrency: parseCount('concurrency', raw.concurrency!, 1, 1000),
        chunksInFlight: parseCount('chunks-in-flight', raw.chunksInFlight!, 1, 16),
        ...(raw.killPrimary !== undefined ? { killPrimary: parseCount('kill-primary', raw.killPrimary, 1, 50) } : {}),
        killAt: Number(raw.killAt),
        nodeBytesPerSecond: raw.nodeRate ? parseByteSize('node-rate', raw.nodeRate, 1024) : 0,
        firstOctet: parseCount('first-octet', raw.firstOctet!, 1, 254),
        reportDir: raw.report ?? defaultReportDir('rollout'),
      });
      const { report: { summary }, jsonPath, htmlPath } = await runRollout(options);
      process.stdout.write(`\nRollout summary\n${formatSummary(summary)}\n\nReport: ${jsonPath}\n        ${htmlPath}\n`);
      if (summary.some((r) => r.pass === false)) process.exitCode = EXIT.failure;
    }));
}
