import { ValidationError } from '../core/errors.ts';

/**
 * Quiet hours of a route: a daily window of local time ("22:00" to "07:00" in Europe/Paris) during
 * which non-critical deliveries wait until the window ends. Computed with Intl, so daylight-saving
 * changes follow the time zone database.
 */
export interface QuietHours {
  start: string;
  end: string;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function parseHhmm(value: string, field: string): number {
  const m = HHMM.exec(value);
  if (!m)
    throw new ValidationError(`${field} must be HH:MM (24 h)`, [{ path: field, message: 'expected HH:MM' }]);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Local wall-clock parts of an instant in a time zone. */
export function localParts(at: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    weekday: 'short',
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '0';
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    hour: Number(get('hour')),
    minute: Number(get('minute')),
    second: Number(get('second')),
    weekday: get('weekday'),
  };
}

/** Offset of the time zone at an instant, in ms (local = utc + offset). */
function offsetMs(at: Date, timeZone: string): number {
  const p = localParts(at, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant at which the local clock in `timeZone` shows the given wall time. */
export function zonedTime(year: number, month: number, day: number, minutes: number, timeZone: string): Date {
  const guess = Date.UTC(year, month - 1, day, Math.floor(minutes / 60), minutes % 60);
  const first = guess - offsetMs(new Date(guess), timeZone);
  // Second pass settles instants near a DST change.
  return new Date(guess - offsetMs(new Date(first), timeZone));
}

/**
 * When the quiet window that contains `at` ends, or null when `at` is outside quiet hours.
 * A window whose start is after its end spans midnight.
 */
export function quietUntil(at: Date, quiet: QuietHours | null, timeZone: string): Date | null {
  if (!quiet) return null;
  const start = parseHhmm(quiet.start, 'quietHours.start');
  const end = parseHhmm(quiet.end, 'quietHours.end');
  if (start === end) return null;
  const p = localParts(at, timeZone);
  const nowMin = p.hour * 60 + p.minute;
  const inside = start < end ? nowMin >= start && nowMin < end : nowMin >= start || nowMin < end;
  if (!inside) return null;
  const minutesLeft = (end - nowMin + 1440) % 1440;
  const approx = new Date(at.getTime() + minutesLeft * 60_000 - p.second * 1000);
  // Re-anchor on the local date of the approximate end so a DST jump inside the window is honoured.
  const e = localParts(approx, timeZone);
  return zonedTime(e.year, e.month, e.day, end, timeZone);
}
