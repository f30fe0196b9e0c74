import { ValidationError } from '../../shared/errors.js';

/** The scenarios of `homing sim checkins`. */
export const SCENARIOS = ['steady', 'herd', 'policy-wave'] as const;
export type Scenario = typeof SCENARIOS[number];

/** Settings of one `homing sim checkins` invocation (one run per entry of `clients`). */
export interface CheckinsOptions {
  clients: number[];
  scenario: Scenario;
  speedup: number;
  /** Simulated seconds of load (steady, policy-wave) or the longest a herd may take to drain. */
  durationSeconds: number;
  herdWindowSeconds: number;
  drainTargetSeconds: number;
  waveAtSeconds: number;
  /** The coordinator's limit on device requests in flight (only for the coordinator the simulation starts). */
  maxInFlight?: number;
  ticketLifetimeSeconds: number;
  enrollConcurrency: number;
  primeConcurrency: number;
  /** Wall-clock seconds of idle coordinator before the load (a quarter settling, the rest measured). */
  idleSeconds: number;
  /** An existing coordinator instead of a child process. */
  url?: string;
  caFile?: string;
  coordinatorPid?: number;
  /** Where enrolled fleets are kept between runs (one subdirectory per client count). */
  fleetDir?: string;
  out?: string;
  json: boolean;
}

/** Raw option values as commander hands them over. */
export interface RawCheckinsOptions {
  clients: string; scenario: string; speedup: string; duration?: string; herdWindow: string; drainTarget: string; waveAt: string;
  maxInFlight?: string; ticketLifetime: string; enrollConcurrency: string; primeConcurrency: string; idleSeconds: string;
  url?: string; caFile?: string; coordinatorPid?: string; fleetDir?: string; out?: string; report?: string; json?: boolean;
}

function number(name: string, value: string, min: number, max: number, integer = true): number {
  const n = Number(value);
  if (!value.trim() || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new ValidationError(`--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

/** Validates the options; every problem is a `ValidationError` (exit 2) and nothing has started yet. */
export function parseCheckinsOptions(raw: RawCheckinsOptions): CheckinsOptions {
  const clients = raw.clients.split(',').map((c) => number('clients', c.trim(), 1, 1_000_000));
  if (!(SCENARIOS as readonly string[]).includes(raw.scenario)) throw new ValidationError(`--scenario must be one of ${SCENARIOS.join(', ')}, got "${raw.scenario}"`);
  const scenario = raw.scenario as Scenario;
  if (raw.url !== undefined) {
    let parsed: URL;
    try { parsed = new URL(raw.url); } catch { throw new ValidationError(`--url must be an https:// URL, got "${raw.url}"`); }
    if (parsed.protocol !== 'https:') throw new ValidationError(`--url must be an https:// URL, got "${raw.url}"`);
    if (!raw.caFile) throw new ValidationError('--url needs --ca-file (the coordinator\'s CA) and HOMING_ADMIN_PASSWORD in the environment');
    if (raw.maxInFlight !== undefined) throw new ValidationError('--max-in-flight applies only to the coordinator the simulation starts; set it on yours (HOMING_MAX_IN_FLIGHT_DEVICE_REQUESTS)');
    if (raw.fleetDir !== undefined) throw new ValidationError('--fleet-dir keeps the coordinator the simulation starts; it does not go with --url');
  } else if (raw.caFile !== undefined || raw.coordinatorPid !== undefined) {
    throw new ValidationError('--ca-file and --coordinator-pid go with --url');
  }
  if (raw.fleetDir !== undefined && !raw.fleetDir.trim()) throw new ValidationError('--fleet-dir needs a directory');
  if (new Set(clients).size !== clients.length) throw new ValidationError(`--clients lists a count twice: ${raw.clients}`);
  if (raw.out !== undefined && raw.report !== undefined && raw.out !== raw.report) throw new ValidationError('give the report dir once: --out or --report');
  const waveAtSeconds = number('wave-at', raw.waveAt, 0, 86_400 * 30, false);
  const defaultDuration = scenario === 'policy-wave' ? waveAtSeconds + 2400 : scenario === 'herd' ? 3600 : 1800;
  return {
    clients, scenario,
    speedup: number('speedup', raw.speedup, 0.01, 100_000, false),
    durationSeconds: raw.duration === undefined ? defaultDuration : number('duration', raw.duration, 1, 86_400 * 30, false),
    herdWindowSeconds: number('herd-window', raw.herdWindow, 0, 86_400, false),
    drainTargetSeconds: number('drain-target', raw.drainTarget, 1, 86_400, false),
    waveAtSeconds,
    ...(raw.maxInFlight !== undefined ? { maxInFlight: number('max-in-flight', raw.maxInFlight, 1, 1_000_000) } : {}),
    ticketLifetimeSeconds: number('ticket-lifetime', raw.ticketLifetime, 0, 86_400 * 7, false),
    enrollConcurrency: number('enroll-concurrency', raw.enrollConcurrency, 1, 256),
    primeConcurrency: number('prime-concurrency', raw.primeConcurrency, 1, 1024),
    idleSeconds: number('idle-seconds', raw.idleSeconds, 1, 3600, false),
    ...(raw.url !== undefined ? { url: raw.url } : {}),
    ...(raw.caFile !== undefined ? { caFile: raw.caFile } : {}),
    ...(raw.coordinatorPid !== undefined ? { coordinatorPid: number('coordinator-pid', raw.coordinatorPid, 1, 2 ** 22) } : {}),
    ...(raw.fleetDir !== undefined ? { fleetDir: raw.fleetDir } : {}),
    ...(raw.out ?? raw.report ? { out: raw.out ?? raw.report } : {}),
    json: raw.json ?? false,
  };
}
