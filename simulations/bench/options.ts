import { parseArgs } from 'node:util';
import type { BaselineChoice } from './baseline.js';
import type { FleetSize } from './fleet-seed.js';

/** Settings of one `bench:checkin` run. */
export interface BenchOptions {
  durationSeconds: number;
  /** Keep-alive rounds per server, alternating coordinator and baseline; each server's best round is judged. */
  rounds: number;
  connections: number;
  warmupSeconds: number;
  handshakes: number;
  handshakeConcurrency: number;
  devices: number;
  /** Computers, policies and smart groups put behind the coordinator for the fleet-size run (computers 0: skip it). */
  fleet: FleetSize;
  baseline: BaselineChoice;
  nginxWorkers: number;
  json: boolean;
  cpuProfileDir?: string;
  sourceMaps: boolean;
  help: boolean;
}

/** `--help` text. */
export const USAGE = `Usage: npm run bench:checkin -- [options]
       (with --json: npm run --silent bench:checkin -- --json, or npx tsx simulations/bench/checkin.ts --json)

Benchmarks coordinator check-ins against a static-JSON mTLS baseline (nginx, or bare Node https).

  --duration S             keep-alive load per server, seconds (default 10)
  --rounds N               keep-alive rounds per server, coordinator and baseline taking turns; each
                           server's best round is compared (other processes only ever slow a round
                           down, so the best is the least disturbed one) (default 3)
  --connections N          keep-alive connections (default 100)
  --warmup S               warm-up load per server before measuring, seconds (default 3)
  --handshakes N           fresh connections per handshake measurement (default 500)
  --handshake-concurrency N  connections opened at a time (default 4)
  --devices N              devices to enroll (default 4)
  --fleet N                then enroll N more computers, add the policies and groups below, and measure
                           not-modified check-ins again against the same baseline (default 10000; 0 skips)
  --policies N             policies for the fleet run (default 200)
  --groups N               smart groups for the fleet run (default 50)
  --baseline auto|nginx|node  baseline server (default auto: nginx if installed)
  --nginx-workers N        nginx worker_processes (default 1, like the single-threaded coordinator)
  --cpu-prof DIR           write a V8 CPU profile of the coordinator into DIR
  --source-maps            keep tsx's source-mapped stack traces in the coordinator (default off, as in production)
  --json                   print machine-readable results on stdout
  --help                   this text
`;

function positive(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min}, got "${value}"`);
  return n;
}

/** Parses the command line; throws on bad values. */
export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string' }, rounds: { type: 'string' }, connections: { type: 'string' }, warmup: { type: 'string' },
      handshakes: { type: 'string' }, 'handshake-concurrency': { type: 'string' }, devices: { type: 'string' },
      fleet: { type: 'string' }, policies: { type: 'string' }, groups: { type: 'string' },
      baseline: { type: 'string' }, 'nginx-workers': { type: 'string' }, 'cpu-prof': { type: 'string' },
      json: { type: 'boolean' }, 'source-maps': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const baseline = (values.baseline ?? 'auto') as BaselineChoice;
  if (!['auto', 'nginx', 'node'].includes(baseline)) throw new Error(`--baseline must be auto, nginx or node, got "${baseline}"`);
  return {
    durationSeconds: positive('duration', values.duration, 10),
    rounds: Math.round(positive('rounds', values.rounds, 3)),
    connections: Math.round(positive('connections', values.connections, 100)),
    warmupSeconds: positive('warmup', values.warmup, 3, 0),
    handshakes: Math.round(positive('handshakes', values.handshakes, 500)),
    handshakeConcurrency: Math.round(positive('handshake-concurrency', values['handshake-concurrency'], 4)),
    devices: Math.round(positive('devices', values.devices, 4)),
    fleet: {
      computers: Math.round(positive('fleet', values.fleet, 10_000, 0)),
      policies: Math.round(positive('policies', values.policies, 200, 0)),
      groups: Math.round(positive('groups', values.groups, 50, 0)),
    },
    baseline,
    nginxWorkers: Math.round(positive('nginx-workers', values['nginx-workers'], 1)),
    json: values.json ?? false,
    ...(values['cpu-prof'] ? { cpuProfileDir: values['cpu-prof'] } : {}),
    sourceMaps: values['source-maps'] ?? false,
    help: values.help ?? false,
  };
}
