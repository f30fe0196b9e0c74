import type { ClientLimits } from '../schemas/policy.js';
import { localTime } from './local-time.js';

/** Outcome of the server-side activation window. */
export interface ActivationDecision {
  active: boolean;
  reason: string;
}

/** Outcome of the client-side limits. */
export interface LimitsDecision {
  allowed: boolean;
  reason: string;
}

/** Server-side activation window in UTC: active from `activeFrom` (inclusive) until `activeUntil` (exclusive). */
export function checkActivation(
  window: { activeFrom: string | null; activeUntil: string | null }, now: number,
): ActivationDecision {
  if (window.activeFrom !== null && now < Date.parse(window.activeFrom)) {
    return { active: false, reason: `not active until ${window.activeFrom}` };
  }
  if (window.activeUntil !== null && now >= Date.parse(window.activeUntil)) {
    return { active: false, reason: `expired at ${window.activeUntil}` };
  }
  return { active: true, reason: 'within its activation window' };
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/**
 * Client-side limits in the client's local time (`timeZone`: IANA name or `±HH:MM`). The time window is
 * [startTime, endTime); when endTime ≤ startTime it crosses midnight and the part after midnight belongs to
 * the day it started on, so `fri 22:00–02:00` allows Saturday 01:00 but not Friday 01:00.
 */
export function checkClientLimits(limits: ClientLimits | null, now: number, timeZone: string): LimitsDecision {
  if (limits === null) return { allowed: true, reason: 'no client-side limits' };
  const local = localTime(now, timeZone);
  const days = new Set<string>(limits.daysOfWeek);
  const at = `local time ${DAYS[local.weekday]} ${hhmm(local.minutes)} (${timeZone})`;
  let windowDay = local.weekday;
  if (limits.startTime !== null && limits.endTime !== null) {
    const start = minutesOf(limits.startTime);
    const end = minutesOf(limits.endTime);
    const crosses = end <= start;
    const inTime = crosses ? local.minutes >= start || local.minutes < end : local.minutes >= start && local.minutes < end;
    if (!inTime) return { allowed: false, reason: `${at} is outside ${limits.startTime}–${limits.endTime}` };
    if (crosses && local.minutes < end) windowDay = (local.weekday + 6) % 7;
  }
  const day = DAYS[windowDay];
  if (!days.has(day)) {
    const belongs = windowDay === local.weekday ? '' : ` belongs to the window that began on ${day}, and`;
    return { allowed: false, reason: `${at}${belongs}: ${day} is not an allowed day (${limits.daysOfWeek.join(', ')})` };
  }
  return { allowed: true, reason: `${at} is within the client-side limits` };
}

function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
