/** Uniform random number in [0, 1); injectable for tests. */
export type Random = () => number;

/** A random phase within the interval, picked once at enrollment so a fleet spreads its check-ins. */
export function pickPhase(intervalSeconds: number, random: Random = Math.random): number {
  return Math.floor(random() * intervalSeconds);
}

/** Jitter added to each scheduled check-in: up to 10% of the interval, at most 5 minutes. */
export function jitterBound(intervalSeconds: number): number {
  return Math.min(300, intervalSeconds * 0.1);
}

/**
 * The next check-in time (ms): the first instant at `phase` within the interval that lies beyond
 * `now` + jitterBound, moved by uniform jitter in ±jitterBound, never earlier than `now` + 1 s.
 * Looking past the jitter bound matters: a check-in jittered early runs just before its slot, and the
 * slot itself must not be picked again (that would check in twice per interval).
 */
export function nextCheckinAt(now: number, intervalSeconds: number, phaseSeconds: number, random: Random = Math.random): number {
  const interval = intervalSeconds * 1000;
  const phase = (phaseSeconds * 1000) % interval;
  const bound = jitterBound(intervalSeconds) * 1000;
  const base = Math.floor((now + bound - phase) / interval) * interval + phase + interval;
  const jitter = (random() * 2 - 1) * bound;
  return Math.max(now + 1000, Math.round(base + jitter));
}

/**
 * Delay (ms) before retry `attempt` (0-based) after an error: exponential backoff with full jitter,
 * capped, and never shorter than the server's `Retry-After`.
 */
export function backoffDelay(attempt: number, opts: { baseMs?: number; capMs?: number; retryAfterSeconds?: number } = {}, random: Random = Math.random): number {
  const base = opts.baseMs ?? 5000;
  const cap = opts.capMs ?? 30 * 60_000;
  const ceiling = Math.min(cap, base * 2 ** Math.min(attempt, 30));
  const delay = Math.floor(random() * ceiling);
  return Math.max(delay, (opts.retryAfterSeconds ?? 0) * 1000);
}
