import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { join } from 'node:path';
import { apiCall, type ApiClient } from './api-client.js';
import { FAST_NODE_ENV, startNodeProcess, type NodeProcess } from './node-process.js';

/** A building on loopback: a segment over `127.<octet>.0.0/16` with a primary and a failover node. */
export interface BuildingPlan { name: string; octet: number; range: string; primaryIp: string; failoverIp: string }

/** A running building: its segment id and both node processes. */
export interface Building extends BuildingPlan { segmentId: number; primary: NodeProcess; failover: NodeProcess }

/** Plans `count` buildings on `127.<firstOctet + i>.0.0/16`, named by `name(i)`. */
export function planBuildings(count: number, firstOctet: number, name: (i: number) => string): BuildingPlan[] {
  if (firstOctet < 1 || firstOctet + count - 1 > 254) throw new Error(`buildings need 127.${firstOctet}–127.${firstOctet + count - 1}: octets must stay within 1..254`);
  return Array.from({ length: count }, (_, i) => {
    const octet = firstOctet + i;
    return { name: name(i), octet, range: `127.${octet}.0.0/16`, primaryIp: `127.${octet}.0.10`, failoverIp: `127.${octet}.0.11` };
  });
}

/** The address of the `k`-th computer of a building (127.<octet>.1.1 onwards; nodes sit on 127.<octet>.0.x). */
export function computerAddress(plan: BuildingPlan, k: number): string {
  const third = 1 + Math.floor(k / 250);
  if (third > 255) throw new Error(`a building holds at most ${255 * 250} computers`);
  return `127.${plan.octet}.${third}.${1 + (k % 250)}`;
}

/**
 * Nodes notice new peers and new desired content within a second, as in tests; everything that changes
 * what moves where (origin grace and delay, certificate cache, disk reserve) keeps its production default.
 */
const QUICK_TO_NOTICE = {
  HOMING_PEERS_REFRESH_SECONDS: FAST_NODE_ENV.HOMING_PEERS_REFRESH_SECONDS, HOMING_DESIRED_REFRESH_SECONDS: FAST_NODE_ENV.HOMING_DESIRED_REFRESH_SECONDS,
};

/** What `startBuildings` needs: the coordinator, where node data goes, and how nodes are spawned. */
export interface StartBuildingsOptions {
  api: ApiClient;
  coordinatorUrl: string;
  caFile: string;
  /** Parent dir of each node's data dir. */
  dataDir: string;
  plans: BuildingPlan[];
  /** Extra `homing node` options (e.g. an upload cap). */
  nodeArgs?: string[];
  env?: Record<string, string>;
  spawn?: (command: string, args: string[], options: SpawnOptions) => ChildProcess;
  log?: (line: string) => void;
}

/**
 * Registers two nodes per building, starts them as real `homing node` processes on the building's
 * addresses, waits until the coordinator lists all of them healthy, then creates each building's
 * segment with the primary first and the failover second.
 */
export async function startBuildings(o: StartBuildingsOptions): Promise<Building[]> {
  const start = async (plan: BuildingPlan, role: 'primary' | 'failover') => {
    const name = `${plan.name} ${role}`;
    const { token } = await apiCall<{ token: string }>(o.api, 'POST', '/api/v1/nodes', { name });
    const node = await startNodeProcess({
      coordinatorUrl: o.coordinatorUrl, caFile: o.caFile, ip: role === 'primary' ? plan.primaryIp : plan.failoverIp,
      dataDir: join(o.dataDir, `node-${plan.octet}-${role}`), token, args: o.nodeArgs, spawn: o.spawn, startTimeoutMs: 180_000,
      env: { HOMING_LOG_LEVEL: 'warn', ...QUICK_TO_NOTICE, ...o.env },
    });
    o.log?.(`node ${node.nodeId} (${name}) serves agents at ${node.httpUrl}`);
    return node;
  };
  const nodes = await Promise.all(o.plans.map(async (plan) => {
    const [primary, failover] = await Promise.all([start(plan, 'primary'), start(plan, 'failover')]);
    return { plan, primary, failover };
  }));
  await waitForHealthyNodes(o.api, nodes.length * 2);
  const buildings: Building[] = [];
  for (const { plan, primary, failover } of nodes) {
    const segment = await apiCall<{ id: number }>(o.api, 'POST', '/api/v1/segments', { name: plan.name, range: plan.range, nodeIds: [primary.nodeId, failover.nodeId] });
    buildings.push({ ...plan, segmentId: segment.id, primary, failover });
  }
  return buildings;
}

/** Polls `GET /api/v1/nodes` until `count` nodes are healthy. */
export async function waitForHealthyNodes(api: ApiClient, count: number, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const list = await apiCall<{ items: { status: string }[] }>(api, 'GET', '/api/v1/nodes?perPage=500');
    const healthy = list.items.filter((n) => n.status === 'healthy').length;
    if (healthy >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${healthy} of ${count} nodes became healthy within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Polls `GET /api/v1/nodes` until every node of `buildings` reports `chunks` chunks held (a package pre-staged); `onHeld` sees the running total. */
export async function waitForPrestaging(api: ApiClient, buildings: readonly Building[], chunks: number, onHeld?: (held: number, of: number) => void, timeoutMs = 30 * 60_000): Promise<void> {
  const ids = new Set(buildings.flatMap((b) => [b.primary.nodeId, b.failover.nodeId]));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const nodes = (await apiCall<{ items: { id: number; health: { chunks: number } | null }[] }>(api, 'GET', '/api/v1/nodes?perPage=500')).items.filter((n) => ids.has(n.id));
    const held = nodes.reduce((n, node) => n + Math.min(chunks, node.health?.chunks ?? 0), 0);
    onHeld?.(held, ids.size * chunks);
    if (held >= ids.size * chunks) return;
    if (Date.now() > deadline) throw new Error(`the nodes held ${held} of ${ids.size * chunks} chunks after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
