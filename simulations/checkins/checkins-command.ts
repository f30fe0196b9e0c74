import { Command } from 'commander';
import { resolve } from 'node:path';
import { runAction } from '../../shared/cli/run-command.js';
import { procCpuAvailable } from '../bench/proc-cpu.js';
import { log } from '../bench/progress.js';
import { Resources } from '../bench/resources.js';
import { defaultReportDir, writeReport } from '../report/write-report.js';
import { parseCheckinsOptions, SCENARIOS, type RawCheckinsOptions } from './checkins-options.js';
import { checkinsReport, formatSummary, formatTable, scalingTable, summaryRows } from './checkins-report.js';
import { runCheckins, type CheckinsRun } from './run-checkins.js';

const HELP_AFTER = `
Scenarios:
  steady       every client checks in at its own phase of the interval (± jitter), as agents do
  herd         the coordinator was down: every client returns within --herd-window with a queued
               policy result; the coordinator sheds with 503 + Retry-After, clients back off with
               full jitter; reports lost results (must be 0) and when the backlog drained
  policy-wave  after --wave-at a policy scoped to all computers is created: every client's next
               check-in fetches and verifies a new signed bundle

Time is compressed: with --speedup 30 a 30-minute interval passes in 60 s. Each check-in is a new
mutual-TLS connection, as for a real agent whose keep-alive connection timed out long ago; a TLS
session is offered again only while it is younger than --ticket-lifetime (simulated seconds).

Examples:
  homing sim checkins                                   # 6000 clients, steady, one interval
  homing sim checkins --scenario herd --speedup 2
  homing sim checkins --clients 6000,20000,100000 --speedup 10 --fleet-dir ~/homing-fleets
                       # how cost grows with N; the first run enrolls and keeps each fleet, later ones reuse it
`;

/** `homing sim checkins`: N virtual agents checking in against a real coordinator; writes report.json + report.html. */
export function checkinsCommand(): Command {
  return new Command('checkins')
    .description('simulate N agents checking in over mTLS against a real coordinator and report rate, latency and coordinator CPU/memory')
    .option('--clients <n[,n…]>', 'virtual agents; a comma-separated list runs each count in turn and prints how cost grows with N', '6000')
    .option('--scenario <name>', `${SCENARIOS.join(' | ')}`, 'steady')
    .option('--speedup <x>', 'simulated seconds per wall-clock second', '30')
    .option('--duration <s>', 'simulated seconds of load (default: one 1800 s interval; policy-wave: --wave-at + 2400; herd: the longest the drain may take, 3600)')
    .option('--herd-window <s>', 'herd: simulated seconds over which the clients return', '60')
    .option('--drain-target <s>', 'herd: the backlog must drain within this many simulated seconds', '300')
    .option('--wave-at <s>', 'policy-wave: simulated second at which the policy changes', '300')
    .option('--max-in-flight <n>', 'device requests the started coordinator serves at once before shedding (its default: 2000)')
    .option('--ticket-lifetime <s>', 'TLS session lifetime of the coordinator, in seconds (the coordinator keeps sessions for two check-in intervals: 3600)', '3600')
    .option('--enroll-concurrency <n>', 'enrollment requests in flight', '16')
    .option('--prime-concurrency <n>', 'first check-ins in flight (each device fetches its bundle before the measured load)', '32')
    .option('--idle-seconds <s>', 'wall-clock seconds the idle coordinator is watched before the load: its first quarter lets the first check-ins\' leftover work finish, the rest is its idle CPU', '20')
    .option('--url <url>', 'use this running coordinator instead of starting one (needs --ca-file and HOMING_ADMIN_PASSWORD); it enrolls N devices and adds a policy there, so use a test instance')
    .option('--ca-file <file>', 'with --url: the coordinator\'s CA certificate')
    .option('--coordinator-pid <pid>', 'with --url: the coordinator\'s process id on this machine, to measure its CPU and memory')
    .option('--fleet-dir <dir>', 'keep each enrolled fleet (the coordinator\'s data dir and the devices\' certificates) in <dir>/<N>/ and reuse it on later runs instead of enrolling again')
    .option('--out <dir>', 'where report.json and report.html go (default ./sim-reports/checkins-<timestamp>/)')
    .option('--report <dir>', 'same as --out')
    .option('--json', 'print the report as JSON on stdout instead of the summary')
    .addHelpText('after', HELP_AFTER)
    .exitOverride((err) => { process.exit(err.exitCode === 0 ? 0 : 2); })
    .action((raw: RawCheckinsOptions) => runAction(async () => {
      const opts = parseCheckinsOptions(raw);
      if (!procCpuAvailable() && (!opts.url || opts.coordinatorPid)) log('Linux /proc is not available: coordinator CPU and memory are not measured');
      const resources = new Resources();
      resources.installSignalHandlers(log);
      const startedAt = new Date();
      const dir = resolve(opts.out ?? defaultReportDir('checkins', startedAt));
      const runs: CheckinsRun[] = [];
      let written: { jsonPath: string; htmlPath: string } | undefined;
      try {
        for (const clients of opts.clients) {
          const run = await runCheckins(opts, clients, resources);
          runs.push(run);
          if (!opts.json) process.stdout.write(`\n${opts.scenario}, ${clients} clients:\n${formatSummary(summaryRows(run))}\n${topErrors(run)}`);
          // Written after every run, so an interrupted list keeps the runs that finished.
          written = await writeReport(dir, checkinsReport(opts, runs, startedAt));
        }
      } finally {
        await resources.cleanup();
      }
      const report = checkinsReport(opts, runs, startedAt);
      const { jsonPath, htmlPath } = written!;
      if (opts.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else {
        if (runs.length > 1) {
          const table = scalingTable(runs);
          process.stdout.write(`\n${table.title}:\n${formatTable(table)}\n`);
        }
        process.stdout.write(`\nreport: ${jsonPath}\n        ${htmlPath}\n`);
      }
    }));
}

function topErrors(run: CheckinsRun): string {
  const entries = Object.entries(run.errorMessages).sort((a, b) => b[1] - a[1]).slice(0, 5);
  return entries.length ? `  most frequent errors:\n${entries.map(([m, n]) => `    ${n}× ${m}`).join('\n')}\n` : '';
}
