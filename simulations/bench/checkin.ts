/** `npm run bench:checkin`: coordinator check-in throughput and per-connection server CPU against an mTLS static-JSON baseline. */
import '../../shared/polyfill.js';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBaseline } from './baseline.js';
import { runConnections, type ConnectingDevice, type ConnectionResult } from './connection-load.js';
import { startCoordinatorProcess } from './coordinator-process.js';
import { enrollDevices } from './devices.js';
import { runKeepAlive, type KeepAliveResult } from './keepalive-load.js';
import { parseBenchOptions, USAGE, type BenchOptions } from './options.js';
import { procCpuAvailable, totalCpuSeconds } from './proc-cpu.js';
import { log } from './progress.js';
import { formatReport, HANDSHAKE_TARGET, THROUGHPUT_TARGET, type BenchReport } from './report.js';
import { Resources } from './resources.js';
import type { ServerUnderTest } from './server-under-test.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** A keep-alive run with the server's CPU time read around it. */
async function keepAlive(server: ServerUnderTest, device: ConnectingDevice, caPem: string, opts: BenchOptions, seconds: number, label: string): Promise<KeepAliveResult> {
  const cpuBefore = totalCpuSeconds(server.pids());
  const started = process.hrtime.bigint();
  const result = await runKeepAlive({
    url: server.url, path: device.path, body: device.body, tls: { ca: caPem, cert: device.certPem, key: device.keyPem },
    connections: opts.connections, durationSeconds: seconds, label,
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = totalCpuSeconds(server.pids()) - cpuBefore;
  return { ...result, serverCpuUsPerRequest: (cpu * 1e6) / Math.max(1, result.ok + result.non2xx), serverCores: cpu / wall };
}

function connections(server: ServerUnderTest, devices: ConnectingDevice[], caPem: string, opts: BenchOptions, resume: boolean, count = opts.handshakes): Promise<ConnectionResult> {
  return runConnections({
    server, caPem, devices, count, concurrency: opts.handshakeConcurrency, resume,
    label: `${server.label}: new connections, ${resume ? 'resumed' : 'full handshake'}`,
  });
}

function problems(label: string, k: KeepAliveResult, c: ConnectionResult[]): string[] {
  const out: string[] = [];
  if (k.non2xx || k.errors) out.push(`${label}: keep-alive run had ${k.non2xx} non-2xx answers and ${k.errors} errors`);
  const failed = c.reduce((s, r) => s + r.failures, 0);
  if (failed) out.push(`${label}: ${failed} fresh-connection check-ins failed`);
  return out;
}

async function main(opts: BenchOptions, resources: Resources): Promise<BenchReport> {
  const cpuProfileDir = opts.cpuProfileDir ? resolve(opts.cpuProfileDir) : undefined;
  log(`starting coordinator (child process, SQLite in a temp dir)${cpuProfileDir ? `, CPU profile into ${cpuProfileDir}` : ''}`);
  const coordinator = await startCoordinatorProcess(resources, { repoRoot, log, ...(cpuProfileDir ? { cpuProfileDir } : {}) });
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

  const kaCoordinator = await keepAlive(coordinator, devices[0]!, ca, opts, opts.durationSeconds, `coordinator: keep-alive check-ins`);
  const kaBaseline = await keepAlive(baseline, devices[0]!, ca, opts, opts.durationSeconds, `${baseline.label}: keep-alive check-ins`);
  const coordinatorResumed = await connections(coordinator, devices, ca, opts, true);
  const coordinatorFull = await connections(coordinator, devices, ca, opts, false);
  const baselineFull = await connections(baseline, devices, ca, opts, false);
  const baselineResumed = await connections(baseline, devices, ca, opts, true);

  const throughputRatio = kaCoordinator.requestsPerSecond / kaBaseline.requestsPerSecond;
  const handshakeRatio = coordinatorResumed.serverCpuMsPerConnection / baselineFull.serverCpuMsPerConnection;
  const notes = [
    ...problems('coordinator', kaCoordinator, [coordinatorResumed, coordinatorFull]),
    ...problems(baseline.label, kaBaseline, [baselineFull, baselineResumed]),
  ];
  if (baseline.label !== 'nginx') notes.push('baseline is a bare Node https handler (nginx not installed): the targets are defined against nginx, which is faster, so these ratios flatter the coordinator');
  else notes.push(`nginx runs worker_processes ${opts.nginxWorkers} (one core, like the coordinator's event loop)`);
  if (coordinatorResumed.resumed < coordinatorResumed.connections * 0.9) notes.push(`only ${coordinatorResumed.resumed}/${coordinatorResumed.connections} coordinator connections resumed their TLS session`);
  notes.push(`load generator runs on the same ${cpus().length}-CPU machine as the servers; CPU figures come from /proc/<pid>/stat (10 ms ticks)`);

  return {
    setup: {
      node: process.version, cpus: cpus().length, baseline: baseline.label, connections: opts.connections, durationSeconds: opts.durationSeconds,
      handshakes: opts.handshakes, handshakeConcurrency: opts.handshakeConcurrency, devices: opts.devices, responseBytes: Buffer.byteLength(fleet.notModifiedBody),
    },
    keepAlive: { coordinator: kaCoordinator, baseline: kaBaseline, ratio: throughputRatio, target: THROUGHPUT_TARGET, pass: throughputRatio >= THROUGHPUT_TARGET },
    handshake: { coordinatorResumed, coordinatorFull, baselineFull, baselineResumed, ratio: handshakeRatio, target: HANDSHAKE_TARGET, pass: handshakeRatio <= HANDSHAKE_TARGET },
    notes,
  };
}

let opts: BenchOptions;
try {
  opts = parseBenchOptions(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`bench:checkin: ${(err as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (opts.help) {
  process.stdout.write(USAGE);
} else if (!procCpuAvailable()) {
  process.stderr.write('bench:checkin: needs Linux /proc to read server CPU time; skipping\n');
  process.exitCode = 2;
} else {
  const resources = new Resources();
  resources.installSignalHandlers(log);
  try {
    const report = await main(opts, resources);
    process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `\n${formatReport(report)}\n`);
  } catch (err) {
    process.stderr.write(`bench:checkin failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  } finally {
    log('stopping servers and removing temp dirs');
    await resources.cleanup();
  }
}
