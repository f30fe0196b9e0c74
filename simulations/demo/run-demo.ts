import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { join } from 'node:path';
import { uploadPackage } from '../../coordinator/pkg/upload.js';
import { startCoordinatorProcess } from '../bench/coordinator-process.js';
import { onLines } from '../bench/line-reader.js';
import { Resources } from '../bench/resources.js';
import { apiCall, signedInAdminClient, type ApiClient } from '../processes/api-client.js';
import { planBuildings, startBuildings, waitForPrestaging, type Building } from '../processes/buildings.js';
import { homingCli } from '../processes/homing-cli.js';
import { checkInDemoAgent, enrollDemoAgent, planDemoAgents, startDemoDaemon } from './demo-agents.js';
import { buildDemoPackage } from './demo-package.js';

/** Settings of `homing demo`. */
export interface DemoOptions { port: number; agentsPerBuilding: number; firstOctet: number; checkinSeconds: number }

/**
 * Children in process groups of their own: a terminal's Ctrl-C reaches only the demo, which then stops
 * the agents and nodes before the coordinator (a coordinator stopped mid-request can crash on its closed database).
 */
class DemoResources extends Resources {
  override spawn(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
    return super.spawn(command, args, { ...options, detached: true });
  }
}

/** What the demo tells the person running it: numbered steps on stdout. */
function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * Runs the demo: a coordinator, two buildings with a primary and a failover node each, agents bound to
 * addresses in each building that enroll and install a sample package by policy; prints what happened and
 * where to look, then keeps everything running until SIGINT/SIGTERM and stops every child it started.
 */
export async function runDemo(o: DemoOptions): Promise<void> {
  const resources = new DemoResources();
  const running: Running = { daemons: [], buildings: [] };
  let stopping: Promise<void> | undefined;
  const stop = (why: string) => {
    stopping ??= (async () => {
      process.stderr.write(`\n${why}: stopping the agents, nodes and coordinator…\n`);
      // Clients first, the coordinator last, so nobody is mid-request when it closes its database.
      await Promise.all(running.daemons.map((d) => resources.stop(d)));
      await Promise.all(running.buildings.flatMap((b) => [b.primary.stop(), b.failover.stop()]));
      await resources.cleanup();
      say('Stopped every process the demo started and removed its temp dirs.');
    })();
    return stopping;
  };
  const signalled = new Promise<NodeJS.Signals>((resolve) => {
    // Stays subscribed: a terminal Ctrl-C can arrive twice (directly and relayed by npm), and a second
    // unhandled SIGINT would kill the demo before its children are stopped.
    const on = (sig: NodeJS.Signals) => resolve(sig);
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
  process.once('exit', () => { void resources.cleanup(); });
  const setup = setUp(o, resources, running);
  const first = await Promise.race([setup.then(() => undefined), signalled]);
  if (first) {
    await stop(first);
    process.exitCode = 130;
    return;
  }
  const sig = await signalled;
  await stop(sig);
}

/** The children the demo has started so far, stopped in this order before the coordinator. */
interface Running { daemons: ChildProcess[]; buildings: Building[] }

async function setUp(o: DemoOptions, resources: Resources, running: Running): Promise<void> {
  say('Homing demo: a coordinator, two buildings with a primary and a failover node each, and agents in both.\n');
  const coordinator = await startCoordinatorProcess(resources, {
    repoRoot: homingCli().cwd, port: o.port, startTimeoutMs: 120_000, log: (line) => process.stderr.write(`${line}\n`),
    env: { HOMING_CHECKIN_INTERVAL_SECONDS: String(o.checkinSeconds) },
  });
  const caFile = join(coordinator.dataDir, 'ca.pem');
  say(` 1. Coordinator at ${coordinator.url} (CA to pin: ${caFile})`);
  const { api, token } = await signedInAdminClient(coordinator);
  try {
    const work = resources.tempDir('homing-demo-');
    const plans = planBuildings(2, o.firstOctet, (i) => `Building ${'AB'[i]}`);
    const buildings = await startBuildings({ api, coordinatorUrl: coordinator.url, caFile, dataDir: join(work, 'nodes'), plans, spawn: resources.spawn.bind(resources) });
    running.buildings = buildings;
    say(' 2. Two buildings (network segments), each with a primary and a failover `homing node` process:');
    for (const b of buildings) say(`      ${b.name} ${b.range}: primary node ${b.primary.nodeId} at ${b.primary.httpUrl}, failover node ${b.failover.nodeId} at ${b.failover.httpUrl}`);

    const pkg = await uploadPackage({ file: await buildDemoPackage(work), coordinatorUrl: coordinator.url, caPem: coordinator.caPem, token });
    say(` 3. Package "${pkg.name}" ${pkg.version} built with the real builder and uploaded: id ${pkg.id}, ${pkg.size} bytes in ${pkg.chunkCount} chunk(s), manifest signed by the package key`);
    const policy = await apiCall<{ id: number; name: string }>(api, 'POST', '/api/v1/policies', {
      name: 'Install Homing Hello', enabled: true, triggers: ['checkin'], frequency: 'once-per-computer', scope: { all: true },
      payloads: [{ type: 'package', packageId: pkg.id, action: 'install' }],
    });
    say(` 4. Policy ${policy.id} "${policy.name}": every computer, at recurring check-in, once per computer`);
    await waitForPrestaging(api, buildings, pkg.chunkCount, undefined, 120_000);
    say(' 5. Every node pre-staged the package over the libp2p mesh (the policy\'s scope reaches their buildings)');

    const agents = planDemoAgents(buildings, o.agentsPerBuilding, join(work, 'agents'));
    const enrollment = await apiCall<{ token: string }>(api, 'POST', '/api/v1/enrollment-tokens', { uses: agents.length, expiresInSeconds: 3600 });
    const spawn = resources.spawn.bind(resources);
    for (const a of agents) await enrollDemoAgent(a, { coordinatorUrl: coordinator.url, caFile, token: enrollment.token, spawn });
    say(` 6. ${agents.length} agents enrolled with \`homing agent enroll --bind <address>\` (a device certificate each):`);
    for (const a of agents) say(`      ${a.name} at ${a.address} in ${a.building.name}`);
    say(' 7. Each agent checked in (`homing agent checkin`) and ran the policy:');
    for (const a of agents) {
      const out = await checkInDemoAgent(a, spawn);
      say(out.split('\n').map((l) => `      ${a.name}: ${l}`).join('\n'));
    }
    say(' 8. Where the bytes came from (agents report them; GET /api/v1/segments/:id/traffic):');
    for (const b of buildings) {
      const t = await waitForTraffic(api, b.segmentId);
      const from = t.sources.map((s) => `${s.bytes} B from ${s.nodeId === b.primary.nodeId ? `its primary (node ${s.nodeId})` : s.nodeId === b.failover.nodeId ? `its failover (node ${s.nodeId})` : s.nodeId === null ? 'the origin' : `node ${s.nodeId}`}`).join(', ');
      say(`      ${b.name}: ${from}; ${(t.inSegmentShare * 100).toFixed(0)}% stayed inside the building`);
    }
    for (const a of agents) {
      const daemon = startDemoDaemon(a, spawn);
      running.daemons.push(daemon);
      onLines(daemon.stderr, (line) => process.stderr.write(`[${a.name}] ${line}\n`));
    }
    say(` 9. The agents now run \`homing agent daemon\` and check in every ${o.checkinSeconds} s.\n`);
    say('Where to look:');
    say(`  Web UI     ${coordinator.url}/  (its certificate comes from the demo's own CA: accept the browser warning)`);
    say(`  Sign in    admin / ${coordinator.adminPassword}   (shown only here, never written to a file)`);
    say(`  API        curl --cacert ${caFile} -H 'content-type: application/json' -d '{"username":"admin","password":"…"}' ${coordinator.url}/api/v1/auth/token`);
    say(`             then GET /api/v1/computers, /api/v1/nodes, /api/v1/segments/${buildings[0]!.segmentId}/traffic, /api/v1/policies/${policy.id}/logs with "Authorization: Bearer <token>"`);
    say(`  Installed  ${join(agents[0]!.root, 'opt/homing-hello/bin/homing-hello')} (each agent has its own root under ${join(work, 'agents')})`);
    say('\nPress Ctrl-C to stop everything; the temp dirs are removed.');
  } finally {
    await api.close();
  }
}

interface Traffic { sources: { nodeId: number | null; bytes: number }[]; totalBytes: number; inSegmentShare: number }

/** The segment's traffic once the agents' download reports (sent in the background after an install) have arrived. */
async function waitForTraffic(api: ApiClient, segmentId: number): Promise<Traffic> {
  for (const deadline = Date.now() + 15_000; ;) {
    const t = await apiCall<Traffic>(api, 'GET', `/api/v1/segments/${segmentId}/traffic`);
    if (t.totalBytes > 0 || Date.now() > deadline) return t;
    await new Promise((r) => setTimeout(r, 300));
  }
}
