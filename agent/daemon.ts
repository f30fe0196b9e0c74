import { join } from 'node:path';
import { RemoteError } from '../shared/errors.js';
import { PidLock } from '../shared/fs/pid-lock.js';
import { checkin } from './checkin.js';
import type { AgentRuntime } from './runtime.js';
import { backoffDelay, nextCheckinAt, type Random } from './schedule.js';

/** Daemon knobs (tests and simulations shorten them). */
export interface DaemonOptions {
  signal: AbortSignal;
  /** Delay before the startup check-in, so a fleet rebooting together does not arrive together. */
  startupDelayMs?: number;
  random?: Random;
  /** Called after each attempt (tests observe progress). */
  onCycle?: (outcome: { ok: boolean; nextAt: number; error?: Error }) => void;
}

/**
 * The agent's timer loop: a startup check-in, then one per interval at this computer's phase with
 * jitter; errors back off exponentially with full jitter, honouring Retry-After. One instance per
 * state dir.
 */
export async function runDaemon(rt: AgentRuntime, opts: DaemonOptions): Promise<void> {
  const lock = new PidLock(join(rt.store.dir, 'agent.lock'));
  await lock.acquire();
  const random = opts.random ?? Math.random;
  let trigger = 'startup';
  let attempt = 0;
  let nextAt = rt.clock.now() + Math.floor(random() * (opts.startupDelayMs ?? 30_000));
  rt.logger.info({ computerId: rt.state.computerId, intervalSeconds: rt.state.checkinIntervalSeconds }, 'agent daemon started');
  try {
    while (!opts.signal.aborted) {
      await rt.clock.sleep(nextAt - rt.clock.now(), opts.signal).catch(() => {});
      if (opts.signal.aborted) break;
      try {
        const result = await checkin(rt, trigger, { signal: opts.signal });
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
        rt.logger[level]({ err: { code: (err as { code?: string }).code, message: (err as Error).message }, retryInMs: delay }, 'check-in failed');
        opts.onCycle?.({ ok: false, nextAt, error: err as Error });
      }
    }
  } finally {
    await lock.release();
    rt.logger.info('agent daemon stopped');
  }
}
