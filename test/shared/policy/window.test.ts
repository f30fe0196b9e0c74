import { describe, expect, it } from 'vitest';
import { checkActivation, checkClientLimits } from '../../../shared/policy/window.js';
import { ClientLimits } from '../../../shared/schemas/policy.js';
import { ValidationError } from '../../../shared/errors.js';

const at = (iso: string) => Date.parse(iso);

describe('checkActivation', () => {
  const window = { activeFrom: '2026-03-01T00:00:00Z', activeUntil: '2026-04-01T00:00:00Z' };
  it('is active from activeFrom (inclusive) until activeUntil (exclusive), in UTC', () => {
    expect(checkActivation(window, at('2026-02-28T23:59:59Z'))).toEqual({ active: false, reason: 'not active until 2026-03-01T00:00:00Z' });
    expect(checkActivation(window, at('2026-03-01T00:00:00Z')).active).toBe(true);
    expect(checkActivation(window, at('2026-03-31T23:59:59.999Z')).active).toBe(true);
    expect(checkActivation(window, at('2026-04-01T00:00:00Z'))).toEqual({ active: false, reason: 'expired at 2026-04-01T00:00:00Z' });
    expect(checkActivation({ activeFrom: null, activeUntil: null }, 0).active).toBe(true);
  });
});

describe('checkClientLimits', () => {
  const limits = (v: unknown) => ClientLimits.parse(v);
  // 2026-03-06 is a Friday.
  it('allows everything without limits', () => {
    expect(checkClientLimits(null, 0, 'UTC')).toEqual({ allowed: true, reason: 'no client-side limits' });
  });

  it('limits days of the week in local time', () => {
    const weekdays = limits({ daysOfWeek: ['mon', 'tue', 'wed', 'thu', 'fri'] });
    expect(checkClientLimits(weekdays, at('2026-03-06T12:00:00Z'), 'UTC').allowed).toBe(true);
    // Friday 23:30 UTC is already Saturday in Tokyo.
    const sat = checkClientLimits(weekdays, at('2026-03-06T23:30:00Z'), 'Asia/Tokyo');
    expect(sat.allowed).toBe(false);
    expect(sat.reason).toBe('local time sat 08:30 (Asia/Tokyo): sat is not an allowed day (mon, tue, wed, thu, fri)');
  });

  it('limits the time of day in the client’s zone', () => {
    const office = limits({ startTime: '09:00', endTime: '17:00' });
    expect(checkClientLimits(office, at('2026-03-06T08:30:00Z'), 'Europe/Berlin').allowed).toBe(true); // 09:30 CET
    expect(checkClientLimits(office, at('2026-03-06T08:30:00Z'), 'UTC').reason)
      .toBe('local time fri 08:30 (UTC) is outside 09:00–17:00');
    expect(checkClientLimits(office, at('2026-03-06T16:00:00Z'), 'Europe/Berlin').allowed).toBe(false); // 17:00 is the end
    expect(checkClientLimits(office, at('2026-03-06T15:59:00Z'), 'Europe/Berlin').allowed).toBe(true);
  });

  it('follows daylight saving time in IANA zones', () => {
    const office = limits({ startTime: '09:00', endTime: '17:00' });
    // New York: 13:30 UTC is 08:30 EST on 6 March but 09:30 EDT on 9 March.
    expect(checkClientLimits(office, at('2026-03-06T13:30:00Z'), 'America/New_York').allowed).toBe(false);
    expect(checkClientLimits(office, at('2026-03-09T13:30:00Z'), 'America/New_York').allowed).toBe(true);
  });

  it('accepts fixed offsets', () => {
    const office = limits({ startTime: '09:00', endTime: '17:00' });
    expect(checkClientLimits(office, at('2026-03-06T04:00:00Z'), '+05:30').allowed).toBe(true); // 09:30
    expect(checkClientLimits(office, at('2026-03-06T04:00:00Z'), '+0500').allowed).toBe(true); // 09:00, the start
    expect(checkClientLimits(office, at('2026-03-06T04:00:00Z'), 'UTC+04:30').allowed).toBe(false); // 08:30
    expect(checkClientLimits(office, at('2026-03-06T04:00:00Z'), 'Z').allowed).toBe(false); // 04:00
    expect(checkClientLimits(office, at('2026-03-06T20:00:00Z'), '-08:00').allowed).toBe(true); // 12:00
  });

  it('handles windows that cross midnight, giving the early hours to the day the window began', () => {
    const fridayNight = limits({ daysOfWeek: ['fri'], startTime: '22:00', endTime: '02:00' });
    expect(checkClientLimits(fridayNight, at('2026-03-06T22:00:00Z'), 'UTC').allowed).toBe(true); // fri 22:00
    expect(checkClientLimits(fridayNight, at('2026-03-07T01:59:00Z'), 'UTC').allowed).toBe(true); // sat 01:59
    expect(checkClientLimits(fridayNight, at('2026-03-07T02:00:00Z'), 'UTC').allowed).toBe(false); // sat 02:00
    expect(checkClientLimits(fridayNight, at('2026-03-06T12:00:00Z'), 'UTC').allowed).toBe(false); // fri noon
    const friEarly = checkClientLimits(fridayNight, at('2026-03-06T01:00:00Z'), 'UTC'); // fri 01:00 belongs to thursday
    expect(friEarly.allowed).toBe(false);
    expect(friEarly.reason).toContain('belongs to the window that began on thu');
    // The same instant, seen from a zone where it is Friday 23:00.
    expect(checkClientLimits(fridayNight, at('2026-03-06T22:00:00Z'), '+01:00').allowed).toBe(true);
    expect(checkClientLimits(fridayNight, at('2026-03-06T22:00:00Z'), '-05:00').allowed).toBe(false);
  });

  it('refuses unknown zones and impossible offsets', () => {
    const office = limits({ startTime: '09:00', endTime: '17:00' });
    expect(() => checkClientLimits(office, 0, 'Mars/Olympus')).toThrow(ValidationError);
    expect(() => checkClientLimits(office, 0, '+25:00')).toThrow(/invalid UTC offset/);
  });
});
