import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { CoordinatorAccess } from '../bench/devices.js';
import { startCoordinatorProcess } from '../bench/coordinator-process.js';
import { processCpuSeconds } from '../bench/proc-cpu.js';
import { log, progress } from '../bench/progress.js';
import type { Resources } from '../bench/resources.js';
import { AdminApi } from './admin-api.js';
import { CheckinMetrics, type Percentiles, type SecondSummary } from './checkin-metrics.js';
import type { CheckinsOptions } from './checkins-options.js';
import { coordinatorLoopDelay, LoopDelayMonitor, type LoopDelay } from './event-loop-delay.js';
import { enrollFleet, type EnrolledDevices } from './fleet-enrollment.js';
import { FleetDirError, FleetStore } from './fleet-store.js';
import { ResourceSampler, type ResourceSample } from './resource-sampler.js';
import { VirtualFleet } from './virtual-fleet.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Everything one run of N clients measured. */
export interface CheckinsRun {
  clients: number;
  /** Set when the devices came from `--fleet-dir` instead of being enrolled by this run. */
  keptFleet?: { dir: string; enrolledAt: string };
  scenario: CheckinsOptions['scenario'];
  speedup: number;
  intervalSeconds: number;
  enrollSeconds: number;
  primeSeconds: number;
  /** Wall-clock and simulated seconds of the measured load. */
  wallSeconds: number;
  simulatedSeconds: number;
  totals: CheckinMetrics['totals'];
  /** How late timer visits started (the simulator's own lag). */
  starts: CheckinMetrics['starts'];
  errorMessages: Record<string, number>;
  latency: Percentiles;
  /** Of the requests that opened a connection: the time until its TLS handshake finished. */
  handshake: Percentiles;
  /** How late the simulator's and the coordinator's event loops ran during the load (the coordinator's from its /metrics). */
  simLoopDelay: LoopDelay;
  coordinatorLoopDelay?: LoopDelay;
  series: SecondSummary[];
  resources: ResourceSample[];
  /** Coordinator CPU: idle cores, and CPU per check-in net of idle (ms); undefined without a pid. */
  coordinatorIdleCores?: number;
  coordinatorCpuMsPerCheckin?: number;
  /** Idle plus per-check-in cost at the real rate (one check-in per client per interval), as a fraction of one core. */
  extrapolatedCores?: number;
  /** The same at the rate the run measured (check-ins per simulated second). */
  measuredRateCores?: number;
  peakCoordinatorRssMiB?: number;
  peakSimRssMiB: number;
  herd?: { resultsQueued: number; resultsStored: number; undelivered: number; drainedSeconds?: number; drainTargetSeconds: number; windowSeconds: number };
  wave?: { atSeconds: number; fetched: number; allFetchedSeconds?: number };
}

/** The coordinator the run talks to: a child process it starts (on a kept fleet's data dir, if any), or the one given by URL. */
async function coordinatorFor(opts: CheckinsOptions, resources: Resources, kept?: { dataDir: string; adminPassword?: string }): Promise<CoordinatorAccess & { pid?: number; stop?: () => Promise<void> }> {
  if (opts.url) {
    const adminPassword = process.env.HOMING_ADMIN_PASSWORD;
    if (!adminPassword) throw new Error('--url needs HOMING_ADMIN_PASSWORD in the environment (the coordinator\'s admin password)');
    return { url: opts.url, caPem: readFileSync(opts.caFile!, 'utf8'), adminPassword, ...(opts.coordinatorPid ? { pid: opts.coordinatorPid } : {}) };
  }
  log(`starting coordinator (child process, SQLite in ${kept ? kept.dataDir : 'a temp dir'}${opts.maxInFlight ? `, at most ${opts.maxInFlight} device requests in flight` : ''})`);
  const child = await startCoordinatorProcess(resources, {
    repoRoot, log, ...kept, ...(opts.maxInFlight ? { env: { HOMING_MAX_IN_FLIGHT_DEVICE_REQUESTS: String(opts.maxInFlight) } } : {}),
  });
  log(`coordinator at ${child.url} (pid ${child.pids()[0]})`);
  return { url: child.url, caPem: child.caPem, adminPassword: child.adminPassword, pid: child.pids()[0]!, stop: () => child.stop() };
}

/** Refuses a kept fleet whose coordinator database no longer holds exactly these devices (e.g. a data dir copied from another fleet). */
async function checkKeptFleet(store: FleetStore, admin: AdminApi, devices: EnrolledDevices): Promise<void> {
  const managed = await admin.managedComputers();
  if (managed !== store.clients) throw new FleetDirError(`${store.dir}: the coordinator holds ${managed} managed computers, the fleet ${store.clients}; delete the directory to enroll again`);
  for (const i of new Set([0, Math.floor(store.clients / 2), store.clients - 1])) {
    const computer = await admin.computer(devices.computerIds[i]!);
    if (computer.uuid !== devices.uuids[i] || computer.status !== 'managed') {
      throw new FleetDirError(`${store.dir}: device ${i} (computer ${devices.computerIds[i]}) is ${computer.status} with UUID ${computer.uuid} on the coordinator, not managed with ${devices.uuids[i]}; delete the directory to enroll again`);
    }
  }
}

/** Waits `ms` of wall-clock time, or less when `done()` turns true (checked every 200 ms). */
async function waitFor(ms: number, done: () => boolean, tick: () => void): Promise<void> {
  const until = performance.now() + ms;
  while (performance.now() < until && !done()) {
    await sleep(Math.min(200, until - performance.now()));
    tick();
  }
}

/** One run: a coordinator, N enrolled virtual devices, their first check-ins, then the scenario's load. */
export async function runCheckins(opts: CheckinsOptions, clients: number, resources: Resources): Promise<CheckinsRun> {
  const store = opts.fleetDir ? new FleetStore(opts.fleetDir, clients) : undefined;
  // A kept fleet is read and checked before anything starts, so a mismatched one changes nothing.
  const kept = store && (await store.exists()) ? store.load() : undefined;
  if (store && !kept) await store.prepare();
  const coordinator = await coordinatorFor(opts, resources, store && { dataDir: store.coordinatorDir, ...(kept ? { adminPassword: store.adminPassword() } : {}) });
  let admin: AdminApi | undefined;
  try {
    admin = await AdminApi.open(coordinator);
    // Setting up must not trip the coordinator's own load shedding.
    const setupLimit = opts.maxInFlight ?? Infinity;
    let devices: EnrolledDevices;
    if (kept) {
      await checkKeptFleet(store!, admin, kept);
      devices = kept;
      log(`using the ${clients} devices kept in ${store!.dir} (enrolled ${kept.enrolledAt})`);
    } else {
      devices = await enrollFleet(coordinator, admin, clients, Math.min(opts.enrollConcurrency, setupLimit));
      log(`enrolled ${clients} devices in ${devices.seconds.toFixed(1)} s (one shared key pair, a certificate each)`);
      if (store) {
        await store.save(devices, coordinator.caPem, coordinator.adminPassword);
        log(`kept the fleet in ${store.dir}: later runs with --fleet-dir reuse it`);
      }
    }
    const url = new URL(coordinator.url);
    const metrics = new CheckinMetrics();
    const fleet = new VirtualFleet({
      target: { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 443), caPem: coordinator.caPem, keyPem: devices.keyPem, timeoutMs: 30_000 },
      devices, speedup: opts.speedup, intervalSeconds: 1800, ticketLifetimeSeconds: opts.ticketLifetimeSeconds, metrics,
    });

    const primeStarted = performance.now();
    const primeBar = progress(`first check-in of each device`, clients, 'devices');
    try { await fleet.visitAll(Math.min(opts.primeConcurrency, setupLimit), (d) => primeBar.update(d)); } finally { primeBar.stop(); }
    const primeSeconds = (performance.now() - primeStarted) / 1000;
    log(`every device holds its signed bundle (${primeSeconds.toFixed(1)} s); check-in interval ${fleet.intervalSeconds} s, simulated ${opts.speedup}× faster`);

    const pid = coordinator.pid;
    let idleCores: number | undefined;
    if (pid) {
      // The idle coordinator's CPU is not billed to check-ins. The work the priming check-ins left behind
      // (last-seen writes flushed each second, their garbage) finishes first: billed as idle, it was
      // extrapolated to every hour (3 s measured right after priming read 3.3% of a core; settled, ~0.2%).
      const measuredSeconds = opts.idleSeconds * 0.75;
      await sleep((opts.idleSeconds - measuredSeconds) * 1000);
      const before = processCpuSeconds(pid);
      await sleep(measuredSeconds * 1000);
      idleCores = (processCpuSeconds(pid) - before) / measuredSeconds;
      log(`coordinator idle: ${(idleCores * 100).toFixed(2)}% of one core over ${measuredSeconds.toFixed(0)} s`);
    }
    // This scrape restarts the coordinator's event-loop histogram, so the one after the load covers the load.
    await admin.metricsText();
    const simLoop = new LoopDelayMonitor();
    // The measured load starts here: priming check-ins are not part of it.
    metrics.reset();
    const sampler = new ResourceSampler(pid, () => metrics.elapsed());
    const cpuBefore = pid ? processCpuSeconds(pid) : 0;
    fleet.resetClock();
    sampler.start();
    simLoop.start();
    const run = await scenarioLoad(opts, fleet, admin, clients);
    const simLoopDelay = simLoop.stop();
    sampler.stop();
    const coordinatorLoop = coordinatorLoopDelay(await admin.metricsText());
    const wallSeconds = metrics.elapsed();
    const coordinatorCpu = pid ? processCpuSeconds(pid) - cpuBefore : undefined;

    const checkins = metrics.totals.checkins;
    const perCheckinMs = coordinatorCpu !== undefined && idleCores !== undefined && checkins
      ? Math.max(0, (coordinatorCpu - idleCores * wallSeconds) / checkins) * 1000 : undefined;
    const rss = sampler.samples.map((s) => s.coordinatorRssMiB ?? 0);
    return {
      clients, ...(kept ? { keptFleet: { dir: store!.dir, enrolledAt: kept.enrolledAt } } : {}), scenario: opts.scenario, speedup: opts.speedup, intervalSeconds: fleet.intervalSeconds,
      enrollSeconds: devices.seconds, primeSeconds, wallSeconds, simulatedSeconds: wallSeconds * opts.speedup,
      totals: { ...metrics.totals }, starts: { ...metrics.starts }, errorMessages: Object.fromEntries(metrics.errorMessages), latency: metrics.overall(),
      handshake: metrics.handshake(), simLoopDelay, ...(coordinatorLoop ? { coordinatorLoopDelay: coordinatorLoop } : {}),
      series: metrics.series(), resources: sampler.samples,
      ...(idleCores !== undefined ? { coordinatorIdleCores: idleCores } : {}),
      ...(perCheckinMs !== undefined && idleCores !== undefined ? {
        coordinatorCpuMsPerCheckin: perCheckinMs,
        extrapolatedCores: idleCores + (perCheckinMs / 1000) * (clients / fleet.intervalSeconds),
        // Check-ins per simulated second are the deployment's real rate, including any extra check-ins the agents' schedule makes.
        measuredRateCores: idleCores + (perCheckinMs / 1000) * (checkins / (wallSeconds * opts.speedup)),
      } : {}),
      ...(pid ? { peakCoordinatorRssMiB: Math.max(0, ...rss) } : {}),
      peakSimRssMiB: Math.max(process.memoryUsage.rss() / 2 ** 20, ...sampler.samples.map((s) => s.simRssMiB)),
      ...run,
    };
  } finally {
    await admin?.close();
    await coordinator.stop?.();
  }
}

/** Drives the fleet through the scenario; returns what is specific to it. */
async function scenarioLoad(opts: CheckinsOptions, fleet: VirtualFleet, admin: AdminApi, clients: number): Promise<Pick<CheckinsRun, 'herd' | 'wave'>> {
  const realMs = (simSeconds: number) => (simSeconds * 1000) / opts.speedup;
  if (opts.scenario === 'herd') {
    const policyId = await admin.createPolicy({ name: `Simulated herd ${Date.now()}`, enabled: false, triggers: ['custom:homing-sim-herd'] });
    const done = new Uint8Array(clients);
    let backlog = clients;
    let drainedAt: number | undefined;
    fleet.onCheckin((device, at) => {
      if (done[device]) return;
      done[device] = 1;
      if (--backlog === 0) drainedAt = at;
    });
    // The coordinator was down: every agent ran a policy meanwhile, and its TLS session is gone.
    for (let i = 0; i < clients; i++) fleet.queueResult(i, policyId);
    fleet.dropSessions();
    log(`herd: ${clients} clients return within ${opts.herdWindowSeconds} s, each with a queued policy result`);
    const bar = progress('herd: clients checked in again', clients, 'clients');
    fleet.scheduleWithin(opts.herdWindowSeconds);
    fleet.start();
    await waitFor(realMs(opts.durationSeconds), () => backlog === 0, () => bar.update(clients - backlog));
    bar.update(clients - backlog);
    bar.stop();
    await fleet.stop();
    const resultsStored = await admin.policyLogTotal(policyId);
    return {
      herd: {
        resultsQueued: clients, resultsStored, undelivered: fleet.undelivered(), drainTargetSeconds: opts.drainTargetSeconds, windowSeconds: opts.herdWindowSeconds,
        ...(drainedAt !== undefined ? { drainedSeconds: drainedAt / 1000 } : {}),
      },
    };
  }

  const seconds = Math.ceil(realMs(opts.durationSeconds) / 1000);
  const bar = progress(`${opts.scenario}: ${clients} clients, ${opts.durationSeconds} simulated s`, seconds, 's');
  const started = performance.now();
  const tick = () => bar.update(Math.floor((performance.now() - started) / 1000));
  fleet.scheduleAtPhases();
  fleet.start();
  let wave: CheckinsRun['wave'];
  if (opts.scenario === 'policy-wave') {
    const fetched = new Uint8Array(clients);
    let count = 0;
    let allAt: number | undefined;
    await waitFor(realMs(opts.waveAtSeconds), () => false, tick);
    const waveAt = fleet.now();
    fleet.onCheckin((device, at, modified) => {
      if (!modified || fetched[device]) return;
      fetched[device] = 1;
      if (++count === clients) allAt = at;
    });
    await admin.createPolicy({ name: `Simulated wave ${Date.now()}`, scope: { all: true }, triggers: ['custom:homing-sim-wave'], payloads: [{ type: 'inventory' }] });
    log(`policy-wave: a policy scoped to all computers was created at ${(waveAt / 1000).toFixed(0)} simulated s; every device's next check-in fetches a new bundle`);
    await waitFor(realMs(opts.durationSeconds) - (performance.now() - started), () => allAt !== undefined, tick);
    wave = { atSeconds: waveAt / 1000, fetched: count, ...(allAt !== undefined ? { allFetchedSeconds: (allAt - waveAt) / 1000 } : {}) };
  } else {
    await waitFor(realMs(opts.durationSeconds), () => false, tick);
  }
  bar.stop();
  await fleet.stop();
  return wave ? { wave } : {};
}
