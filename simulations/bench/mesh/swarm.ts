import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { signedInAdminClient, type ApiClient } from '../../processes/api-client.js';
import { startNodeProcess, type NodeProcess } from '../../processes/node-process.js';
import { namespaceSupport } from '../../net/availability.js';
import { createNamespaceTopology, type NamespaceTopology } from '../../net/namespace-topology.js';
import { startCoordinatorProcess, type CoordinatorProcess } from '../coordinator-process.js';
import type { Resources } from '../resources.js';

/** How bandwidth is capped in this run. */
export type Shaping =
  | { kind: 'namespaces'; net: NamespaceTopology; note: string }
  | { kind: 'in-process'; note: string };

/** A coordinator (origin) and N node processes, all with the same upload cap, fully meshed. */
export interface Swarm {
  shaping: Shaping;
  coordinator: CoordinatorProcess;
  api: ApiClient;
  caFile: string;
  nodes: NodeProcess[];
  /** Where the bench's own servers listen so the nodes reach them under the origin's cap. */
  serverHost: string;
  /** The argv that runs `command args` where node `i` runs (inside its namespace, if any). */
  argv(i: number, command: string, args: string[]): string[];
  stop(): Promise<void>;
}

/** What `startSwarm` needs. */
export interface SwarmOptions {
  repoRoot: string;
  nodes: number;
  uploadBytesPerSecond: number;
  /** Force in-process caps even where namespaces work. */
  inProcess: boolean;
  log(line: string): void;
}

/** Runs `tasks` at most `limit` at a time (node processes compile TypeScript at start: a 2-core machine chokes on 8 at once). */
async function limited<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, async () => {
    for (let i = next++; i < tasks.length; i = next++) out[i] = await tasks[i]!();
  }));
  return out;
}

/** Starts the network (namespaces with tbf caps as root, else in-process caps), the coordinator and the nodes; waits for a full mesh. */
export async function startSwarm(resources: Resources, opts: SwarmOptions): Promise<Swarm> {
  const u = opts.uploadBytesPerSecond;
  const support = namespaceSupport();
  const names = Array.from({ length: opts.nodes }, (_, i) => `node-${i + 1}`);
  let shaping: Shaping;
  if (support.available && !opts.inProcess) {
    const net = createNamespaceTopology(names);
    net.capBridgeUpload(u);
    for (const name of names) net.capUpload(name, u);
    shaping = { kind: 'namespaces', net, note: `each node in its own network namespace, tc tbf egress cap ${(u * 8 / 1e6).toFixed(0)} Mbit/s on every node and on the origin's bridge` };
  } else {
    shaping = {
      kind: 'in-process',
      note: `${opts.inProcess ? 'in-process caps requested' : support.reason}: nodes on 127.0.0.x with in-process token-bucket caps (node --upload-bytes-per-second, origin HOMING_ORIGIN_UPLOAD_BYTES_PER_SECOND); TCP itself is unshaped`,
    };
  }
  const net = shaping.kind === 'namespaces' ? shaping.net : undefined;
  const serverHost = net?.bridgeIp ?? '127.0.0.1';
  const coordinator = await startCoordinatorProcess(resources, {
    repoRoot: opts.repoRoot, log: opts.log, host: serverHost,
    // The production heartbeat (30 s): a short one flaps node health on a loaded machine and reshuffles origin assignments.
    env: { HOMING_SERVER_NAMES: serverHost, ...(net ? {} : { HOMING_ORIGIN_UPLOAD_BYTES_PER_SECOND: String(u) }) },
  });
  const { api } = await signedInAdminClient(coordinator);
  const caFile = join(resources.tempDir('homing-bench-mesh-ca-'), 'ca.pem');
  writeFileSync(caFile, coordinator.caPem);
  const nodeData = resources.tempDir('homing-bench-mesh-nodes-');
  const argv = (i: number, command: string, args: string[]) => (net ? net.hosts[i]!.argv(command, args) : [command, ...args]);

  const nodes = await limited(3, names.map((name, i) => async () => {
    const created = await api.api('POST', '/api/v1/nodes', { name });
    if (created.status !== 201) throw new Error(`node creation failed: ${JSON.stringify(created.body)}`);
    const node = await startNodeProcess({
      coordinatorUrl: coordinator.url, caFile, ip: net ? net.hosts[i]!.ip : `127.0.0.${20 + i}`, dataDir: join(nodeData, name), token: created.body.token,
      args: net ? [] : ['--upload-bytes-per-second', String(u)],
      // Default replication settings, except that desired sets are refreshed every 0.5 s (nodes see the pin at once). Peer lists
      // keep the default 5 s: the mesh is formed before the pin, and 16 peer-list requests a second would take CPU from the nodes.
      env: { HOMING_DESIRED_REFRESH_SECONDS: '0.5', HOMING_MIN_FREE_BYTES: '0', HOMING_LOG_LEVEL: 'warn' },
      spawn: (command, args, options) => { const [c, ...a] = argv(i, command, args); return resources.spawn(c!, a, options); },
      startTimeoutMs: 90_000,
    });
    opts.log(`${name} started (${node.ip})`);
    return node;
  }));

  // Health (with the peer count) arrives with heartbeats, every 30 s: a node reports its full mesh on its second one.
  const deadline = Date.now() + 120_000;
  for (;;) {
    const items = (await api.api('GET', '/api/v1/nodes?perPage=500')).body.items as { status: string; health: { peers: number } | null }[];
    if (items.length === opts.nodes && items.every((n) => n.status === 'healthy' && n.health?.peers === opts.nodes)) break;
    if (Date.now() > deadline) throw new Error(`the mesh did not form within 120 s: ${JSON.stringify(items.map((n) => [n.status, n.health?.peers]))}`);
    await new Promise((r) => setTimeout(r, 500));
  }

  return {
    shaping, coordinator, api, caFile, nodes, serverHost, argv,
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
      await coordinator.stop();
      await api.close();
      net?.teardown();
    },
  };
}
