import { ValidationError } from '../../shared/errors.js';

/** Settings of one `homing sim rollout` run. */
export interface RolloutOptions {
  agents: number;
  segments: number;
  packageBytes: number;
  /** Agents downloading at once. */
  concurrency: number;
  chunksInFlight: number;
  /** Building (1-based) whose primary node is SIGKILLed mid-rollout. */
  killPrimary?: number;
  /** Share of all agent bytes received when the primary is killed. */
  killAt: number;
  /** Upload cap of every node in bytes per second (in-process token bucket); 0 = none. */
  nodeBytesPerSecond: number;
  /** Buildings sit on 127.<firstOctet + i>.0.0/16. */
  firstOctet: number;
  reportDir: string;
}

const UNITS: Record<string, number> = {
  '': 1, b: 1, k: 1024, kib: 1024, kb: 1000, m: 1024 ** 2, mib: 1024 ** 2, mb: 1000 ** 2, g: 1024 ** 3, gib: 1024 ** 3, gb: 1000 ** 3,
  kbit: 1000 / 8, mbit: 1000 ** 2 / 8, gbit: 1000 ** 3 / 8,
};

/** Parses `64MiB`, `512k`, `100Mbit` or a plain byte count. */
export function parseByteSize(name: string, text: string, min = 1): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new ValidationError(`--${name} must be a size like 64MiB, 512KiB, 100Mbit or a byte count, got "${text}"`);
  const bytes = Math.round(Number(m[1]) * unit);
  if (bytes < min) throw new ValidationError(`--${name} must be at least ${min} bytes, got "${text}"`);
  return bytes;
}

/** Parses a whole number within [min, max]. */
export function parseCount(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || n < min || n > max) throw new ValidationError(`--${name} must be a whole number from ${min} to ${max}, got "${text}"`);
  return n;
}

/** Checks the options against each other. */
export function checkRolloutOptions(o: RolloutOptions): RolloutOptions {
  if (o.killPrimary !== undefined && o.killPrimary > o.segments) throw new ValidationError(`--kill-primary ${o.killPrimary} names no building: there are ${o.segments}`);
  if (!(o.killAt > 0 && o.killAt < 1)) throw new ValidationError(`--kill-at must be a share between 0 and 1 (exclusive), got ${o.killAt}`);
  if (o.firstOctet + o.segments - 1 > 254) throw new ValidationError(`--first-octet ${o.firstOctet} leaves no room for ${o.segments} buildings below 127.255`);
  return o;
}
