import { join } from 'node:path';
import { uploadPackage } from '../../coordinator/pkg/upload.js';
import { createLogger } from '../../shared/logger.js';
import { startCoordinatorProcess } from '../bench/coordinator-process.js';
import { AdminApi } from '../checkins/admin-api.js';
import { enrollFleet } from '../checkins/fleet-enrollment.js';
import { progress } from '../bench/progress.js';
import { Resources } from '../bench/resources.js';
import { apiCall, signedInAdminClient } from '../processes/api-client.js';
import { planBuildings, startBuildings, waitForPrestaging } from '../processes/buildings.js';
import { homingCli } from '../processes/homing-cli.js';
import { writeReport } from '../report/write-report.js';
import { rollOutToAgent, type AgentOutcome } from './rollout-agent.js';
import { RolloutMeter } from './rollout-meter.js';
import type { RolloutOptions } from './rollout-options.js';
import type { SimulationReport } from '../report/report-types.js';
import { buildRolloutReport, type RolloutResult } from './rollout-report.js';
import { runPool } from './run-pool.js';
import { buildRandomPackage } from './sample-payload.js';
import { placeFleet } from './virtual-fleet.js';

/** Writes one line of what the simulation is doing to stderr (stdout carries the summary). */
function log(line: string): void {
  process.stderr.write(`[rollout] ${line}\n`);
}

/** Runs one rollout simulation end to end, writes its report, and returns it with the report's paths. */
export async function runRollout(o: RolloutOptions): Promise<{ report: SimulationReport; jsonPath: string; htmlPath: string }> {
  const resources = new Resources();
  resources.installSignalHandlers(log);
  const startedAt = new Date();
  try {
    log(`starting a coordinator and ${o.segments * 2} node processes on 127.${o.firstOctet}–127.${o.firstOctet + o.segments - 1}.x`);
    const coordinator = await startCoordinatorProcess(resources, { repoRoot: homingCli().cwd, log, startTimeoutMs: 120_000 });
    const { api, token } = await signedInAdminClient(coordinator);
    const plans = planBuildings(o.segments, o.firstOctet, (i) => `Building ${i + 1}${i === 0 ? ' (origin)' : ''}`);
    const buildings = await startBuildings({
      api, coordinatorUrl: coordinator.url, caFile: join(coordinator.dataDir, 'ca.pem'), dataDir: resources.tempDir('homing-sim-nodes-'), plans,
      nodeArgs: o.nodeBytesPerSecond ? ['--upload-bytes-per-second', String(o.nodeBytesPerSecond)] : [], spawn: resources.spawn.bind(resources), log,
    });

    log(`building a ${(o.packageBytes / 1024 ** 2).toFixed(1)} MiB package and uploading it`);
    const pkgFile = await buildRandomPackage(resources.tempDir('homing-sim-package-'), 'Rollout Sample', o.packageBytes);
    const pkg = await uploadPackage({ file: pkgFile, coordinatorUrl: coordinator.url, caPem: coordinator.caPem, token });
    await apiCall(api, 'POST', '/api/v1/policies', {
      name: 'Roll out the sample package', enabled: true, triggers: ['checkin'], frequency: 'once-per-computer', scope: { all: true },
      payloads: [{ type: 'package', packageId: pkg.id, action: 'install' }],
    });
    const prestageStart = performance.now();
    const prestageBar = progress('pre-staging the package on every node', buildings.length * 2 * pkg.chunkCount, 'chunks');
    await waitForPrestaging(api, buildings, pkg.chunkCount, (held) => prestageBar.update(held)).finally(() => prestageBar.stop());
    const prestageSeconds = (performance.now() - prestageStart) / 1000;
    log(`every node holds the package after ${prestageSeconds.toFixed(1)} s`);

    const admin = await AdminApi.open(coordinator);
    const enrolled = await enrollFleet(coordinator, admin, o.agents, 8).finally(() => admin.close());
    const fleet = placeFleet(enrolled, coordinator.caPem, plans);
    const enrollSeconds = enrolled.seconds;

    const t0 = performance.now();
    const elapsed = () => performance.now() - t0;
    const meter = new RolloutMeter(buildings.map((b) => ({ primaryId: b.primary.nodeId, failoverId: b.failover.nodeId })), elapsed);
    const expectedBytes = o.agents * pkg.size;
    let killed: RolloutResult['killed'];
    const bar = progress(`rolling out to ${o.agents} agents, ${o.concurrency} at a time`, o.agents, 'agents');
    let lastLine = 0;
    const sampler = setInterval(() => {
      meter.sample();
      bar.update(meter.finished());
      if (!process.stderr.isTTY && elapsed() - lastLine >= 15_000) {
        lastLine = elapsed();
        log(`${meter.finished()} of ${o.agents} agents done, ${(meter.bytesReceived() / 1024 ** 3).toFixed(2)} GiB in ${(elapsed() / 1000).toFixed(0)} s (${(meter.bytesReceived() / 1024 ** 2 / (elapsed() / 1000)).toFixed(0)} MiB/s)`);
      }
      const share = meter.bytesReceived() / expectedBytes;
      if (o.killPrimary !== undefined && !killed && share >= o.killAt) {
        const b = o.killPrimary - 1;
        const victim = buildings[b]!.primary;
        killed = { building: b, nodeId: victim.nodeId, atSeconds: elapsed() / 1000, atShare: share };
        void victim.stop('SIGKILL');
        log(`SIGKILL ${buildings[b]!.name}'s primary (node ${victim.nodeId}) at ${(share * 100).toFixed(1)}% of bytes`);
      }
    }, 250);
    const outcomes: AgentOutcome[] = [];
    const ctx = { coordinatorUrl: coordinator.url, packageId: pkg.id, trust: fleet.trust, chunksInFlight: o.chunksInFlight, tap: meter, logger: createLogger('sim-agent', 'silent'), elapsed };
    try {
      await runPool(fleet.agents, o.concurrency, async (agent) => {
        const outcome = await rollOutToAgent(agent, ctx);
        outcomes.push(outcome);
        meter.agentDone(agent.building);
      });
    } finally {
      clearInterval(sampler);
      meter.sample();
      bar.stop();
    }
    const makespanSeconds = elapsed() / 1000;
    log(`all agents finished after ${makespanSeconds.toFixed(1)} s`);

    const traffic = (await apiCall<{ items: { packageId: number; originBytes: number; peerBytes: number; byNode: { nodeId: number; fromOrigin: number }[] }[] }>(api, 'GET', '/api/v1/distribution/traffic')).items.find((t) => t.packageId === pkg.id);
    const outsideIds = new Set(buildings.slice(1).flatMap((b) => [b.primary.nodeId, b.failover.nodeId]));
    const shares = await Promise.all(buildings.map(async (b) => (await apiCall<{ totalBytes: number; inSegmentShare: number }>(api, 'GET', `/api/v1/segments/${b.segmentId}/traffic`))));
    await api.close();
    const result: RolloutResult = {
      options: o, startedAt, finishedAt: new Date(),
      buildings: buildings.map((b) => ({ name: b.name, segmentId: b.segmentId, primaryId: b.primary.nodeId, failoverId: b.failover.nodeId })),
      packageBytes: pkg.size, chunkCount: pkg.chunkCount, prestageSeconds, enrollSeconds, makespanSeconds,
      outcomes: outcomes.sort((a, b) => a.index - b.index), meter,
      originMeshBytes: traffic?.originBytes ?? 0,
      originMeshWanBytes: (traffic?.byNode ?? []).filter((n) => outsideIds.has(n.nodeId)).reduce((n, x) => n + x.fromOrigin, 0),
      peerBytes: traffic?.peerBytes ?? 0,
      coordinatorInSegmentShare: shares.map((s) => (s.totalBytes ? s.inSegmentShare : null)),
      killed,
    };
    const report = buildRolloutReport(result);
    return { report, ...(await writeReport(o.reportDir, report)) };
  } finally {
    log('stopping node and coordinator processes and removing temp dirs');
    await resources.cleanup();
  }
}
