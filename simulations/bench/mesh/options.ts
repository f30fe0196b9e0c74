import { parseArgs } from 'node:util';

/** Settings of one `bench:mesh` run. */
export interface MeshBenchOptions {
  mib: number;
  nodes: number;
  /** Equal upload cap of every node and of the origin, megabits per second. */
  mbit: number;
  /** Hub-and-spoke: measure it (the default), or skip it (its bound is still printed). */
  hub: boolean;
  /** MiB of the package the hub-and-spoke copy sends to each node (its time is scaled to the whole package); undefined: all of it. */
  hubMib: number | undefined;
  /** MiB per single-stream throughput measurement (libp2p and HTTPS). */
  streamMib: number;
  /** Force the in-process rate limits even where network namespaces work. */
  inProcess: boolean;
  json: boolean;
  help: boolean;
}

/** Default upload cap, Mbit/s: where a 2-core machine carrying 8 nodes is not the limit (see USAGE). */
export const DEFAULT_MBIT = 25;

/** `--help` text. */
export const USAGE = `Usage: npm run bench:mesh -- [options]

Replicates one package from the coordinator's origin to N distribution node processes over the libp2p
mesh, every node and the origin with the same upload cap, and prints in the same run:
  - the makespan (pin → last node holding every chunk, verified) against the chunked-broadcast lower
    bound (F/u)·(1 + log2(N)/M)            target ≤ 1.5×
  - a hub-and-spoke copy (the origin sends the whole file over HTTPS to every node at once, same caps),
    measured                               target: mesh ≥ 5× faster
  - bytes the origin sent                  target ≤ 1.05× F
  - single-stream libp2p chunk throughput beside Node HTTPS on loopback   target ≥ 0.3×
As root, each node runs in its own network namespace with a tc tbf egress cap (the origin's cap sits on
the bridge); otherwise nodes run on 127.0.0.x with in-process caps (--upload-bytes-per-second and the
origin's HOMING_ORIGIN_UPLOAD_BYTES_PER_SECOND), and the output says so.

  --mib N          package size in MiB (default 256)
  --nodes N        distribution nodes (default 8)
  --mbit N         upload cap of every node and of the origin, Mbit/s (default 25: see below)
  --no-hub         skip measuring hub-and-spoke (takes N·F/u: ~11 min at the defaults); its bound is still shown
  --hub-mib N      send only the package's first N MiB to each node in hub-and-spoke and scale its time to the whole
                   package (the origin's capped link carries N copies, so the time grows with the bytes); default: all
  --stream-mib N   MiB moved by each single-stream throughput measurement (default 128)
  --in-process     use in-process rate limits even as root
  --json           print machine-readable results on stdout
  --help           this text

Why 25 Mbit/s: the bench emulates a bandwidth-limited network, but all N + 1 processes share this
machine's cores, which encrypt, multiplex and decrypt every byte. On a 2-core machine, 8 nodes at
100 Mbit/s (demand (N+1)·u = 112 MB/s) kept the machine ~96% busy and the makespan measured the CPU
(2.7× the bound); at 40 Mbit/s it was still 88-94% busy; at 25 Mbit/s it stays below 85%, so the caps
set the pace. The output prints the demand beside the capacity measured in the same run, and says
CPU-BOUND when the machine was the limit: raise --mbit on machines with more cores.
`;

function number(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number in ${min}..${max}, got "${value}"`);
  return n;
}

/** Parses the command line; throws on bad values. */
export function parseMeshBenchOptions(argv: string[]): MeshBenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      mib: { type: 'string' }, nodes: { type: 'string' }, mbit: { type: 'string' }, 'no-hub': { type: 'boolean' }, 'hub-mib': { type: 'string' },
      'stream-mib': { type: 'string' }, 'in-process': { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  return {
    mib: number('mib', values.mib, 256, 1, 65_536),
    nodes: Math.round(number('nodes', values.nodes, 8, 2, 200)),
    mbit: number('mbit', values.mbit, DEFAULT_MBIT, 1, 100_000),
    hub: !values['no-hub'],
    hubMib: values['hub-mib'] === undefined ? undefined : number('hub-mib', values['hub-mib'], 0, 1, 65_536),
    streamMib: number('stream-mib', values['stream-mib'], 128, 1, 65_536),
    inProcess: values['in-process'] ?? false,
    json: values.json ?? false,
    help: values.help ?? false,
  };
}
