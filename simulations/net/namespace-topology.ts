import { run, runQuietly } from './ip-command.js';
import { removeStaleTopologies, trackTopology, untrackTopology } from './teardown-registry.js';

/** One emulated machine: its own network namespace, one veth into the shared bridge, one address. */
export interface NamespaceHost {
  name: string;
  /** The namespace (`ip netns exec <ns> …`). */
  ns: string;
  /** Its address on the bridge's /24. */
  ip: string;
  /** The argv that runs `command args` inside the namespace (for `spawn(argv[0], argv.slice(1))`). */
  argv(command: string, args: string[]): string[];
}

/**
 * Hosts in their own network namespaces on one Linux bridge (whose address, in this process's own
 * namespace, reaches them all), with per-host bandwidth caps and partitions. Root only: check
 * `namespaceSupport()` first. Everything is removed by `teardown()`, on process exit and on SIGINT/SIGTERM.
 */
export interface NamespaceTopology {
  /** This process's address on the bridge: servers started here listen on it to be reachable from the hosts. */
  bridgeIp: string;
  hosts: NamespaceHost[];
  host(name: string): NamespaceHost;
  /** Caps what the host sends (a `tc tbf` on its veth, inside its namespace); 0 removes the cap. */
  capUpload(name: string, bytesPerSecond: number): void;
  /** Caps what the host receives (a `tc tbf` on the bridge side of its veth); 0 removes the cap. */
  capDownload(name: string, bytesPerSecond: number): void;
  /** Caps what this process's namespace (servers on `bridgeIp`) sends to the hosts: a `tc tbf` on the bridge; 0 removes it. */
  capBridgeUpload(bytesPerSecond: number): void;
  /**
   * Splits the hosts into groups that cannot reach each other (blackhole routes: new connections fail,
   * open ones go silent). The bridge address stays reachable from every group, or, with `bridgeGroup`,
   * only from that group's hosts (the others are cut off from servers in this process too).
   */
  partition(groups: string[][], opts?: { bridgeGroup?: number }): void;
  /** Removes every partition route. */
  heal(): void;
  /** Deletes the namespaces and the bridge; safe to call more than once. */
  teardown(): void;
}

let topologies = 0;

/** A free 10.x.y.0/24: one not covered by any route of this namespace (other topologies included). */
function freeSubnet(): string {
  const routes = run('ip', ['-4', 'route', 'show', 'table', 'all']);
  for (let attempt = 0; attempt < 200; attempt++) {
    const subnet = `10.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 256)}`;
    if (!routes.includes(`${subnet}.`)) return subnet;
  }
  throw new Error('no free 10.x.y.0/24 subnet for a namespace topology');
}

/** Builds the topology: one namespace per name, each with a veth on a fresh bridge. Fails (cleaning up) when a step fails. */
export function createNamespaceTopology(names: string[]): NamespaceTopology {
  if (!names.length || names.length > 240) throw new RangeError(`a topology holds 1–240 hosts, got ${names.length}`);
  if (new Set(names).size !== names.length) throw new RangeError('host names must be unique');
  removeStaleTopologies();
  const k = topologies++;
  const tag = `${process.pid.toString(36)}-${k.toString(36)}`;
  const bridge = `hb${tag}`;
  const subnet = freeSubnet();
  const bridgeIp = `${subnet}.1`;
  const hosts: (NamespaceHost & { inner: string; outer: string })[] = names.map((name, i) => {
    const ns = `homing-${process.pid}-${k}-${i}`;
    return {
      name, ns, ip: `${subnet}.${10 + i}`, inner: `hn${tag}x${i}`, outer: `hv${tag}x${i}`,
      argv: (command, args) => ['ip', 'netns', 'exec', ns, command, ...args],
    };
  });
  let partitionRoutes: { ns: string; ip: string }[] = [];
  const heal = () => {
    for (const r of partitionRoutes) runQuietly('ip', ['-n', r.ns, 'route', 'del', 'blackhole', `${r.ip}/32`]);
    partitionRoutes = [];
  };
  const teardown = () => {
    untrackTopology(teardown);
    for (const h of hosts) runQuietly('ip', ['netns', 'del', h.ns]);
    runQuietly('ip', ['link', 'del', bridge]);
  };
  trackTopology(teardown);
  try {
    run('ip', ['link', 'add', bridge, 'type', 'bridge']);
    run('ip', ['addr', 'add', `${bridgeIp}/24`, 'dev', bridge]);
    run('ip', ['link', 'set', bridge, 'up']);
    for (const h of hosts) {
      run('ip', ['netns', 'add', h.ns]);
      run('ip', ['link', 'add', h.outer, 'type', 'veth', 'peer', 'name', h.inner]);
      run('ip', ['link', 'set', h.inner, 'netns', h.ns]);
      run('ip', ['link', 'set', h.outer, 'master', bridge, 'up']);
      run('ip', ['-n', h.ns, 'addr', 'add', `${h.ip}/24`, 'dev', h.inner]);
      run('ip', ['-n', h.ns, 'link', 'set', h.inner, 'up']);
      run('ip', ['-n', h.ns, 'link', 'set', 'lo', 'up']);
    }
  } catch (err) {
    teardown();
    throw err;
  }
  const find = (name: string) => {
    const h = hosts.find((x) => x.name === name);
    if (!h) throw new RangeError(`no host named ${name} in this topology`);
    return h;
  };
  return {
    bridgeIp,
    hosts: hosts.map(({ name, ns, ip, argv }) => ({ name, ns, ip, argv })),
    host: (name) => { const { ns, ip, argv } = find(name); return { name, ns, ip, argv }; },
    capUpload(name, bytesPerSecond) {
      const h = find(name);
      shape(['-n', h.ns], h.inner, bytesPerSecond);
    },
    capDownload(name, bytesPerSecond) {
      shape([], find(name).outer, bytesPerSecond);
    },
    capBridgeUpload(bytesPerSecond) {
      shape([], bridge, bytesPerSecond);
    },
    partition(groups, opts = {}) {
      heal();
      const groupOf = new Map(groups.flatMap((g, i) => g.map((n) => [find(n).name, i] as const)));
      const blackhole = (ns: string, ip: string) => {
        run('ip', ['-n', ns, 'route', 'add', 'blackhole', `${ip}/32`]);
        partitionRoutes.push({ ns, ip });
      };
      for (const a of hosts) {
        if (!groupOf.has(a.name)) continue;
        if (opts.bridgeGroup !== undefined && groupOf.get(a.name) !== opts.bridgeGroup) blackhole(a.ns, bridgeIp);
        for (const b of hosts) if (groupOf.has(b.name) && groupOf.get(a.name) !== groupOf.get(b.name)) blackhole(a.ns, b.ip);
      }
    },
    heal,
    teardown,
  };
}

/** Replaces the root qdisc of `dev` with a token bucket at `bytesPerSecond` (or removes it for 0). */
function shape(nsArgs: string[], dev: string, bytesPerSecond: number): void {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond < 0) throw new RangeError(`a rate cap must be ≥ 0 bytes/s, got ${bytesPerSecond}`);
  if (bytesPerSecond === 0) return runQuietly('tc', [...nsArgs, 'qdisc', 'del', 'dev', dev, 'root']);
  // The bucket must hold at least one timer tick of traffic; 20 ms worth (≥ 64 KiB) keeps TCP at the full rate.
  const burst = Math.max(64 * 1024, Math.ceil(bytesPerSecond / 50));
  run('tc', [...nsArgs, 'qdisc', 'replace', 'dev', dev, 'root', 'tbf', 'rate', `${Math.round(bytesPerSecond * 8)}bit`, 'burst', String(burst), 'latency', '200ms']);
}
