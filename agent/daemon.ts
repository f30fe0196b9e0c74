import { join } from 'node:path';
import { RemoteError } from '../shared/errors.js';
import { PidLock } from '../shared/fs/pid-lock.js';
import { checkin } from './checkin.js';
import { renewIfExpiring } from './identity/certificate-renewal.js';
import type { AgentRuntime } from './runtime.js';
import { backoffDelay, nextCheckinAt, type Random } from './schedule.js';
import { LoopWatchdog, type StallHandler } from './watchdog/loop-watchdog.js';

/** Longest one cycle (check-in, policy run, renewal) may take before it is aborted. */
export const DEFAULT_CYCLE_TIMEOUT_MS = 2 * 3_600_000;
// How long past its deadline an aborted cycle may take to unwind before the loop counts as stalled.
const STALL_GRACE_MS = 5 * 60_000;

/** Daemon knobs (tests and simulations shorten them). */
export interface DaemonOptions {
  signal: AbortSignal;
  /** Delay before the startup check-in, so a fleet rebooting together does not arrive together. */
  startupDelayMs?: number;
  random?: Random;
  /** Called after each attempt (tests observe progress). */
  onCycle?: (outcome: { ok: boolean; nextAt: number; error?: Error }) => void;
  /** A cycle running longer is aborted (its processes killed). */
  cycleTimeoutMs?: number;
  /** Called when the loop stalls beyond the cycle timeout (the CLI exits non-zero so the service manager restarts it). */
  onStall?: StallHandler;
  /** How often the stall watchdog looks (real time). */
  watchdogCheckMs?: number;
}

/**
 * The agent's timer loop: a startup check-in, then one per interval at this computer's phase with
 * jitter; errors back off exponentially with full jitter, honouring Retry-After. Each cycle is aborted at its
 * timeout, a loop that still does not come back is reported to `onStall`, and the certificate is renewed when it
 * nears expiry. One instance per state dir.
 */
export async function runDaemon(rt: AgentRuntime, opts: DaemonOptions): Promise<void> {
  const lock = new PidLock(join(rt.store.dir, 'agent.lock'));
  await lock.acquire();
  const random = opts.random ?? Math.random;
  let trigger = 'startup';
  let attempt = 0;
  let nextAt = rt.clock.now() + Math.floor(random() * (opts.startupDelayMs ?? 30_000));
  const cycleTimeoutMs = opts.cycleTimeoutMs ?? DEFAULT_CYCLE_TIMEOUT_MS;
  const watchdog = opts.onStall ? new LoopWatchdog(() => rt.clock.now(), opts.onStall, opts.watchdogCheckMs) : undefined;
  watchdog?.start();
  rt.logger.info({ computerId: rt.state.computerId, intervalSeconds: rt.state.checkinIntervalSeconds }, 'agent daemon started');
  try {
    while (!opts.signal.aborted) {
      watchdog?.expectBy(Math.max(nextAt, rt.clock.now()) + cycleTimeoutMs + STALL_GRACE_MS);
      await rt.clock.sleep(nextAt - rt.clock.now(), opts.signal).catch(() => {});
      if (opts.signal.aborted) break;
      const cycle = AbortSignal.any([opts.signal, AbortSignal.timeout(cycleTimeoutMs)]);
      try {
        const result = await checkin(rt, trigger, { signal: cycle });
        await renewIfExpiring(rt, cycle);
        trigger = 'checkin';
        attempt = 0;
        nextAt = nextCheckinAt(rt.clock.now(), result.nextCheckinSeconds, rt.state.phaseSeconds, random);
        opts.onCycle?.({ ok: true, nextAt });
      } catch (err) {
        if (opts.signal.aborted) break;
        const remote = err instanceof RemoteError ? err : undefined;
        const delay = backoffDelay(attempt++, { capMs: rt.state.checkinIntervalSeconds * 1000, retryAfterSeconds: remote?.retryAfterSeconds }, random);
        nextAt = rt.clock.now() + delay;
        const level = remote && !remote.retryable ? 'error' : 'warn';
        const revoked = remote?.code === 'FORBIDDEN';
        rt.logger[level]({ err: { code: (err as { code?: string }).code, message: (err as Error).message }, retryInMs: delay },
          revoked ? 'check-in refused: this identity is revoked or unknown; re-enroll with a new token (homing agent enroll --force)' : 'check-in failed');
        opts.onCycle?.({ ok: false, nextAt, error: err as Error });
      }
    }
  } finally {
    watchdog?.stop();
    await lock.release();
    rt.logger.info('agent daemon stopped');
  }
}
