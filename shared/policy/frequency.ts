import type { Frequency } from '../schemas/policy.js';

/** One past run of a policy, as its log records it; flushed logs no longer count. */
export interface RunLog {
  /** When the run finished, epoch ms. */
  at: number;
  status: 'success' | 'failed';
  /** The user the run was for (login/logout triggers, or the console user); null when none. */
  user: string | null;
  flushed?: boolean;
}

/** Inputs besides the computer's own history. */
export interface DueOptions {
  /** The user the run would be for; once-per-user frequencies need one. */
  user?: string | null;
  /** Retries after a failure (once-per-computer only, 0–10). */
  retries?: number;
  /** This policy's logs for `user` on every computer (once-per-user); defaults to `history`. */
  userHistory?: readonly RunLog[];
}

/** Whether a policy may run now, and why. */
export interface DueDecision {
  due: boolean;
  reason: string;
}

const HOUR = 3_600_000;
const PERIOD_HOURS = { daily: 24, weekly: 168, monthly: 720 } as const;

/**
 * Jamf execution frequency over this policy's run logs on this computer (`history`). Any unflushed log,
 * failed or not, counts as "ran" for the once-per-… frequencies, except that a failed once-per-computer run
 * is retried on following runs up to `retries` times; daily/weekly/monthly need no success in the last
 * 24/168/720 h.
 */
export function isDue(frequency: Frequency, history: readonly RunLog[], now: number, options: DueOptions = {}): DueDecision {
  const live = history.filter((l) => !l.flushed);
  switch (frequency) {
    case 'ongoing':
      return { due: true, reason: 'ongoing: runs every time' };
    case 'once-per-computer':
      return oncePerComputer(live, options.retries ?? 0);
    case 'once-per-user-per-computer':
      return oncePerUser(live, options.user, 'on this computer');
    case 'once-per-user':
      return oncePerUser((options.userHistory ?? history).filter((l) => !l.flushed), options.user, 'on any computer');
    case 'daily': case 'weekly': case 'monthly':
      return periodic(live, now, PERIOD_HOURS[frequency]);
  }
}

function oncePerComputer(live: readonly RunLog[], retries: number): DueDecision {
  const success = live.find((l) => l.status === 'success');
  if (success) return { due: false, reason: `already ran on this computer at ${iso(success.at)}; flush its log to run again` };
  const failures = live.length;
  if (failures === 0) return { due: true, reason: 'never ran on this computer' };
  if (failures <= retries) return { due: true, reason: `retry ${failures} of ${retries} after a failed run` };
  return {
    due: false,
    reason: retries === 0
      ? 'ran on this computer and failed (no retries); flush its log to run again'
      : `failed ${failures} times; retries exhausted, flush its log to run again`,
  };
}

function oncePerUser(live: readonly RunLog[], user: string | null | undefined, where: string): DueDecision {
  if (!user) return { due: false, reason: 'needs a user, and this run has none' };
  const ran = live.find((l) => l.user === user);
  if (ran) return { due: false, reason: `already ran for user "${user}" ${where} at ${iso(ran.at)}` };
  return { due: true, reason: `never ran for user "${user}" ${where}` };
}

function periodic(live: readonly RunLog[], now: number, hours: number): DueDecision {
  const last = live.filter((l) => l.status === 'success').reduce<number | null>((m, l) => (m === null || l.at > m ? l.at : m), null);
  if (last === null) return { due: true, reason: 'no successful run yet' };
  const next = last + hours * HOUR;
  if (now >= next) return { due: true, reason: `last success ${iso(last)}, more than ${hours} h ago` };
  return { due: false, reason: `last success ${iso(last)}; due again at ${iso(next)}` };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
