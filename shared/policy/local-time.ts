import { ValidationError } from '../errors.js';

/** A moment as a local wall clock shows it: weekday (0 = Sunday) and minutes since local midnight. */
export interface LocalTime {
  weekday: number;
  minutes: number;
}

const OFFSET = /^(?:UTC|GMT)?([+-])(\d{2}):?(\d{2})$/;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
// Building a DateTimeFormat is costly and agents ask for the same zone on every check-in.
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Local weekday and time of `epochMs` in an IANA zone (`Europe/Berlin`) or a fixed offset (`+02:00`, `-0530`, `Z`). */
export function localTime(epochMs: number, timeZone: string): LocalTime {
  const offsetMinutes = parseOffset(timeZone);
  if (offsetMinutes !== null) {
    const shifted = new Date(epochMs + offsetMinutes * 60_000);
    return { weekday: shifted.getUTCDay(), minutes: shifted.getUTCHours() * 60 + shifted.getUTCMinutes() };
  }
  const parts = formatter(timeZone).formatToParts(new Date(epochMs));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { weekday: WEEKDAYS.indexOf(part('weekday')), minutes: Number(part('hour')) * 60 + Number(part('minute')) };
}

function parseOffset(timeZone: string): number | null {
  if (timeZone === 'Z') return 0;
  const m = OFFSET.exec(timeZone);
  if (!m) return null;
  const [hours, minutes] = [Number(m[2]), Number(m[3])];
  if (hours > 14 || minutes > 59) throw new ValidationError(`invalid UTC offset "${timeZone}"`);
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
      });
    } catch {
      throw new ValidationError(`unknown time zone "${timeZone}"`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}
