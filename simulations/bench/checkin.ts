/** `npm run bench:checkin`: coordinator check-in throughput and per-connection server CPU against an mTLS static-JSON baseline. */
import '../../shared/polyfill.js';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBaseline, startNodeBaseline } from './baseline.js';
import { runConnections, type ConnectingDevice, type ConnectionResult } from './connection-load.js';
import { startCoordinatorProcess } from './coordinator-process.js';
import { checkInTwice, enrollDevices, type BenchDevice, type CoordinatorAccess } from './devices.js';
import { seedFleet } from './fleet-seed.js';
import { runKeepAlive, type KeepAliveResult } from './keepalive-load.js';
import { parseBenchOptions, USAGE, type BenchOptions } from './options.js';
import { PhaseMeter } from './phase-meter.js';
import { formatPostgresComparison, runPostgresComparison, takeDbOption, type PostgresComparison } from './postgres-runs.js';
import { procCpuAvailable } from './proc-cpu.js';
import { log } from './progress.js';
import { formatReport, HANDSHAKE_TARGET, THROUGHPUT_TARGET, type BenchReport, type FleetRun } from './report.js';
import type { Resources } from './resources.js';
import { runBench } from './run-bench.js';
import type { ServerUnderTest } from './server-under-test.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** A keep-alive run with the server's CPU time read around it. */
async function keepAlive(server: ServerUnderTest, device: ConnectingDevice, caPem: string, opts: BenchOptions, seconds: number, label: string): Promise<KeepAliveResult> {
  const meter = new PhaseMeter(server.pids());
  const result = await runKeepAlive({
    url: server.url, path: device.path, body: device.body, tls: { ca: caPem, cert: device.certPem, key: device.keyPem },
    connections: opts.connections, durationSeconds: seconds, label,
  });
  const usage = meter.stop();
  const answered = Math.max(1, result.ok + result.non2xx);
  return {
    ...result,
    serverCpuUsPerRequest: (usage.serverCpuSeconds * 1e6) / answered,
    serverCores: usage.serverCpuSeconds / usage.wallSeconds,
    ...(usage.serverMainThreadCpuSeconds !== undefined ? { serverMainThreadUsPerRequest: (usage.serverMainThreadCpuSeconds * 1e6) / answered } : {}),
    otherCores: usage.otherCores,
  };
}

function connections(server: ServerUnderTest, devices: ConnectingDevice[], caPem: string, opts: BenchOptions, resume: boolean, count = opts.handshakes): Promise<ConnectionResult> {
  return runConnections({
    server, caPem, devices, count, concurrency: opts.handshakeConcurrency, resume,
    label: `${server.label}: new connections, ${resume ? 'resumed' : 'full handshake'}`,
  });
}

/** The round with the highest rate: other processes only ever slow a round down, so it is the least disturbed. */
function best(rounds: KeepAliveResult[]): KeepAliveResult {
  return rounds.reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a));
}

function problems(label: string, rounds: KeepAliveResult[], c: ConnectionResult[]): string[] {
  const out: string[] = [];
  const non2xx = rounds.reduce((s, k) => s + k.non2xx, 0);
  const errors = rounds.reduce((s, k) => s + k.errors, 0);
  if (non2xx || errors) out.push(`${label}: keep-alive runs had ${non2xx} non-2xx answers and ${errors} errors`);
  const failed = c.reduce((s, r) => s + r.failures, 0);
  if (failed) out.push(`${label}: ${failed} fresh-connection check-ins failed`);
  return out;
}

/** Notes about the conditions of the run: noise from other processes, coordinator log lines, settings. */
function runNotes(opts: BenchOptions, logCounts: Map<string, number>, phases: { otherCores?: number }[]): string[] {
  const out: string[] = [];
  const other = Math.max(...phases.map((p) => p.otherCores ?? 0));
  if (other > 0.25) out.push(`NOISY MACHINE: other processes kept up to ${other.toFixed(2)} of ${cpus().length} cores busy during a measured phase; treat figures and ratios as rough and rerun when the machine is quiet`);
  for (const [msg, n] of logCounts) out.push(`coordinator logged ${n}× "${msg}"`);
  out.push(`load generator (autocannon / undici) runs on the same ${cpus().length}-CPU machine; server CPU from /proc/<pid>/stat (10 ms ticks); coordinator ${opts.sourceMaps ? 'with' : 'without'} source-mapped stacks`);
  return out;
}

/** Puts the fleet behind the coordinator, refreshes the measured device's etag, and runs the keep-alive load again. */
async function measureFleet(coordinator: ServerUnderTest & CoordinatorAccess, enrolled: BenchDevice, device: ConnectingDevice, kaBaseline: KeepAliveResult, opts: BenchOptions): Promise<{ fleet: FleetRun; runs: KeepAliveResult[] }> {
  const { computers, policies, groups } = opts.fleet;
  log(`fleet run: enrolling ${computers} computers, then ${policies} policies and ${groups} smart groups`);
  const seeded = await seedFleet(coordinator, opts.fleet, log);
  log(`fleet seeded in ${seeded.seconds.toFixed(0)} s (first smart group holds ${seeded.groupMembers} computers)`);
  const { body } = await checkInTwice(coordinator.url, coordinator.caPem, enrolled);
  const runs: KeepAliveResult[] = [];
  for (let i = 1; i <= opts.rounds; i++) {
    runs.push(await keepAlive(coordinator, { ...device, body }, coordinator.caPem, opts, opts.durationSeconds, `coordinator with the fleet: keep-alive check-ins, round ${i}/${opts.rounds}`));
  }
  const keepAliveRun = best(runs);
  const ratio = keepAliveRun.requestsPerSecond / kaBaseline.requestsPerSecond;
  return { fleet: { seeded, keepAlive: keepAliveRun, rounds: runs.map((k) => k.requestsPerSecond), ratio, target: THROUGHPUT_TARGET, pass: ratio >= THROUGHPUT_TARGET }, runs };
}

/**
 * The stack's ceiling beside nginx: a bare Node https handler (no framework, no database, the same
 * answer over the same mTLS) under the same keep-alive load. No server on Node's HTTP module answers faster,
 * so this shows how much of the gap to nginx the platform itself leaves.
 */
async function measureNodeCeiling(resources: Resources, body: string, dataDir: string, device: ConnectingDevice, caPem: string, opts: BenchOptions): Promise<KeepAliveResult> {
  const bare = await startNodeBaseline(resources, { repoRoot, dataDir, body, nginxWorkers: opts.nginxWorkers, log });
  try {
    if (opts.warmupSeconds > 0) await keepAlive(bare, device, caPem, opts, opts.warmupSeconds, `${bare.label}: warm-up`);
    return await keepAlive(bare, device, caPem, opts, opts.durationSeconds, `${bare.label} (stack ceiling): keep-alive answers`);
  } finally {
    await bare.stop();
  }
}

async function main(opts: BenchOptions, resources: Resources): Promise<BenchReport> {
  const cpuProfileDir = opts.cpuProfileDir ? resolve(opts.cpuProfileDir) : undefined;
  log(`starting coordinator (child process, SQLite in a temp dir)${cpuProfileDir ? `, CPU profile into ${cpuProfileDir}` : ''}`);
  const coordinator = await startCoordinatorProcess(resources, { repoRoot, log, sourceMaps: opts.sourceMaps, ...(cpuProfileDir ? { cpuProfileDir } : {}) });
  log(`coordinator at ${coordinator.url} (pid ${coordinator.pids()[0]}); enrolling ${opts.devices} device(s)`);
  const fleet = await enrollDevices(coordinator, opts.devices);
  const devices: ConnectingDevice[] = fleet.devices.map((d) => ({ certPem: d.certPem, keyPem: d.keyPem, path: d.checkinPath, body: d.checkinBody }));
  const ca = coordinator.caPem;
  log(`not-modified answer: ${fleet.notModifiedBody}`);

  const baseline = await startBaseline(resources, opts.baseline, { repoRoot, dataDir: coordinator.dataDir, body: fleet.notModifiedBody, nginxWorkers: opts.nginxWorkers, log });
  const servers = [coordinator, baseline];
  if (opts.warmupSeconds > 0) {
    for (const s of servers) {
      await keepAlive(s, devices[0]!, ca, opts, opts.warmupSeconds, `${s.label}: warm-up`);
      await connections(s, devices, ca, opts, true, 100);
    }
  }

  // Rounds alternate, so a disturbance of the machine falls on both servers alike.
  const coordinatorRounds: KeepAliveResult[] = [];
  const baselineRounds: KeepAliveResult[] = [];
  for (let i = 1; i <= opts.rounds; i++) {
    coordinatorRounds.push(await keepAlive(coordinator, devices[0]!, ca, opts, opts.durationSeconds, `coordinator: keep-alive check-ins, round ${i}/${opts.rounds}`));
    baselineRounds.push(await keepAlive(baseline, devices[0]!, ca, opts, opts.durationSeconds, `${baseline.label}: keep-alive check-ins, round ${i}/${opts.rounds}`));
  }
  const kaCoordinator = best(coordinatorRounds);
  const kaBaseline = best(baselineRounds);
  const ceiling = baseline.label === 'nginx' ? await measureNodeCeiling(resources, fleet.notModifiedBody, coordinator.dataDir, devices[0]!, ca, opts) : undefined;
  const coordinatorResumed = await connections(coordinator, devices, ca, opts, true);
  const coordinatorFull = await connections(coordinator, devices, ca, opts, false);
  const baselineFull = await connections(baseline, devices, ca, opts, false);
  const baselineResumed = await connections(baseline, devices, ca, opts, true);

  const fleetRun = opts.fleet.computers > 0 ? await measureFleet(coordinator, fleet.devices[0]!, devices[0]!, kaBaseline, opts) : undefined;

  const throughputRatio = kaCoordinator.requestsPerSecond / kaBaseline.requestsPerSecond;
  const handshakeRatio = coordinatorResumed.serverCpuMsPerConnection / baselineFull.serverCpuMsPerConnection;
  const notes = [
    ...problems('coordinator', coordinatorRounds, [coordinatorResumed, coordinatorFull]),
    ...problems(baseline.label, baselineRounds, [baselineFull, baselineResumed]),
    ...(fleetRun ? problems('coordinator with the fleet', fleetRun.runs, []) : []),
  ];
  if (baseline.label !== 'nginx') notes.push(`baseline is a bare Node https handler (${opts.baseline === 'node' ? '--baseline node' : 'nginx not installed'}): the targets are defined against nginx, which is faster, so these ratios flatter the coordinator`);
  else notes.push(`nginx runs worker_processes ${opts.nginxWorkers} (one core, like the coordinator's event loop)`);
  if (coordinatorResumed.resumed < coordinatorResumed.connections * 0.9) notes.push(`only ${coordinatorResumed.resumed}/${coordinatorResumed.connections} coordinator connections resumed their TLS session`);
  notes.push(...runNotes(opts, coordinator.logCounts(), [kaCoordinator, kaBaseline, coordinatorResumed, coordinatorFull, baselineFull, baselineResumed, ...(fleetRun ? [fleetRun.fleet.keepAlive] : [])]));
  if (kaCoordinator.serverMainThreadUsPerRequest !== undefined) {
    notes.push(`coordinator CPU per keep-alive check-in: ${kaCoordinator.serverMainThreadUsPerRequest.toFixed(0)} µs on the event-loop thread, ${((kaCoordinator.serverCpuUsPerRequest ?? 0) - kaCoordinator.serverMainThreadUsPerRequest).toFixed(0)} µs on other threads (libuv pool: SQLite; GC)`);
  }

  return {
    setup: {
      node: process.version, cpus: cpus().length, baseline: baseline.label, connections: opts.connections, durationSeconds: opts.durationSeconds,
      handshakes: opts.handshakes, handshakeConcurrency: opts.handshakeConcurrency, devices: opts.devices, responseBytes: Buffer.byteLength(fleet.notModifiedBody),
    },
    keepAlive: {
      coordinator: kaCoordinator, baseline: kaBaseline,
      rounds: { coordinator: coordinatorRounds.map((k) => k.requestsPerSecond), baseline: baselineRounds.map((k) => k.requestsPerSecond) },
      ratio: throughputRatio, target: THROUGHPUT_TARGET, pass: throughputRatio >= THROUGHPUT_TARGET },
    ...(ceiling ? { nodeCeiling: ceiling } : {}),
    ...(fleetRun ? { fleet: fleetRun.fleet } : {}),
    handshake: { coordinatorResumed, coordinatorFull, baselineFull, baselineResumed, ratio: handshakeRatio, target: HANDSHAKE_TARGET, pass: handshakeRatio <= HANDSHAKE_TARGET },
    notes,
  };
}

/** The run's report, with the PostgreSQL comparison when `--db postgres` asked for it. */
type CheckinBenchReport = BenchReport & { postgres?: PostgresComparison };

await runBench<BenchOptions & { db?: string }, CheckinBenchReport>({
  name: 'bench:checkin', usage: USAGE,
  parse: (argv) => {
    const { db, rest } = takeDbOption(argv);
    return { ...parseBenchOptions(rest), ...(db ? { db } : {}) };
  },
  unavailable: () => (procCpuAvailable() ? undefined : 'needs Linux /proc to read server CPU time'),
  run: async (opts, resources) => {
    const report = await main(opts, resources);
    if (!opts.db || opts.db === 'sqlite') return report;
    return { ...report, postgres: await runPostgresComparison(opts.db, report.keepAlive.coordinator.requestsPerSecond, resources, { repoRoot, log, sourceMaps: opts.sourceMaps }, opts) };
  },
  format: (r) => `${formatReport(r)}\n${r.postgres ? `\n${formatPostgresComparison(r.postgres)}` : ''}`,
  passed: (r) => r.keepAlive.pass && r.handshake.pass && (r.fleet?.pass ?? true),
});
