// How numbers and times read in the UI. Pure functions, so they are easy to test.
// Times are stored in UTC; every time a person reads goes through the zone
// helpers below, which show it in the display zone of the settings or, by
// default, the computer's own.
import { displayZone } from './zone.svelte';

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Minutes as hours and minutes: 80 → "1:20 h". */
export function formatHours(minutes: number): string {
  const m = Math.max(0, Math.floor(minutes || 0));
  return `${Math.floor(m / 60)}:${pad(m % 60)} h`;
}

/**
 * An RFC 3339 time (or Date) as "10:42" in the display zone, the way Go
 * writes times in its messages. '' for a missing or zero time (Go's
 * 0001-01-01).
 */
export function formatClock(value: unknown, zone: string = currentZone()): string {
  const date = toDate(value);
  if (!date) return '';
  const p = zonedParts(date, zone);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** The IANA zone times are shown in: the settings' display zone, else the computer's. */
export function currentZone(): string {
  return displayZone.name || localZone();
}

/** The computer's own zone, e.g. "Europe/Berlin". */
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export { isZone } from './zone.svelte';

/** A calendar date and wall-clock time in some zone; month 1–12, weekday 0 = Sunday. */
export type ZonedParts = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
};

const partFormats = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** What a wall clock and calendar in zone show at date. */
export function zonedParts(date: Date, zone: string = currentZone()): ZonedParts {
  let f = partFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    partFormats.set(zone, f);
  }
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(date)) out[p.type] = p.value;
  return {
    year: Number(out.year),
    month: Number(out.month),
    day: Number(out.day),
    hour: Number(out.hour) % 24,
    minute: Number(out.minute),
    second: Number(out.second),
    weekday: WEEKDAYS.indexOf(out.weekday),
  };
}

/** How far zone is ahead of UTC at date, in minutes (Berlin in winter: 60). */
export function zoneOffsetMinutes(date: Date, zone: string = currentZone()): number {
  const p = zonedParts(date, zone);
  const asUTC = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUTC - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The instant a wall-clock time in zone happens. A time skipped by a
 * change to daylight saving time moves forward with the clock; a time that
 * happens twice is the first.
 */
export function zonedTime(year: number, month: number, day: number, hour = 0, minute = 0, zone: string = currentZone()): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // The zone's offsets half a day either side: the same but across a change.
  const offsets = [wall - 12 * 3600_000, wall + 12 * 3600_000].map((t) => zoneOffsetMinutes(new Date(t), zone));
  const candidates = offsets.map((o) => wall - o * 60_000);
  const valid = candidates.filter((c, i) => zoneOffsetMinutes(new Date(c), zone) === offsets[i]);
  // Both valid: the time happens twice, take the first. None: it was
  // skipped, and moves forward with the clock.
  return new Date(valid.length > 0 ? Math.min(...valid) : Math.max(...candidates));
}

/** The start of the day that holds date in zone: its local midnight. */
export function dayStart(date: Date, zone: string = currentZone()): Date {
  const p = zonedParts(date, zone);
  return zonedTime(p.year, p.month, p.day, 0, 0, zone);
}

/** The start of the day n days after the one that holds date (23 or 25 h away across DST). */
export function addZonedDays(date: Date, n: number, zone: string = currentZone()): Date {
  const p = zonedParts(date, zone);
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day + n));
  return zonedTime(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), 0, 0, zone);
}

/** A date as "Mon 7 Dec 2026" in the display zone; '' for a missing time. */
export function formatDate(value: unknown, zone: string = currentZone()): string {
  const date = toDate(value);
  if (!date) return '';
  const p = zonedParts(date, zone);
  return `${WEEKDAYS[p.weekday]} ${p.day} ${MONTHS[p.month - 1]} ${p.year}`;
}

/** A date and time as "Mon 7 Dec 2026, 10:42" in the display zone; '' for a missing time. */
export function formatDateTime(value: unknown, zone: string = currentZone()): string {
  const date = toDate(value);
  if (!date) return '';
  return `${formatDate(date, zone)}, ${formatClock(date, zone)}`;
}

/** A zone as a person reads it: "Europe/Berlin (UTC+01:00)" at date. */
export function formatZone(zone: string = currentZone(), date: Date = new Date()): string {
  const off = zoneOffsetMinutes(date, zone);
  const sign = off < 0 ? '−' : '+';
  const a = Math.abs(off);
  return `${zone} (UTC${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)})`;
}

/**
 * A contract week's start, given as the terms say it (weekday 0 = Sunday,
 * minutes after midnight in the week zone, UTC by default), as it falls
 * in zone in the week that holds at: "Monday 01:00". Across a DST change
 * in either zone the local hour may move; the week start does not.
 */
export function weekStartInZone(
  weekday: number,
  minute: number,
  at: Date = new Date(),
  zone: string = currentZone(),
  weekZone = 'UTC',
): string {
  const w = zonedParts(at, weekZone);
  const back = (w.weekday - weekday + 7) % 7;
  const start = zonedTime(w.year, w.month, w.day - back, Math.floor(minute / 60), minute % 60, weekZone);
  const p = zonedParts(start, zone);
  const names = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  return `${names[p.weekday]} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** A usable Date from what Wails sends for a Go time.Time, or null. */
export function toDate(value: unknown): Date | null {
  if (value instanceof Date) return isNaN(value.getTime()) ? null : value;
  if (typeof value !== 'string' || value === '' || value.startsWith('0001-')) return null;
  const date = new Date(value);
  return isNaN(date.getTime()) ? null : date;
}

/** "35.00 USD/h". */
export function formatRate(rate: string, currency: string): string {
  return `${rate} ${currency}/h`;
}

/** A weekly limit in words; 0 means none. */
export function formatLimit(hours: number): string {
  return hours > 0 ? `${hours} h/week` : 'No limit';
}

/** The share of the weekly limit used, 0–1 (may exceed 1); null without a limit. */
export function limitShare(weekMinutes: number, limitHours: number): number | null {
  if (!limitHours || limitHours <= 0) return null;
  return weekMinutes / (limitHours * 60);
}

/** A whole percentage: 0.724 → "72 %". */
export function formatPercent(share: number): string {
  return `${Math.round(Math.max(0, share || 0) * 100)} %`;
}

/**
 * How long ago a time was, in words: "just now", "2 min ago", "3 h ago",
 * "4 days ago"; "never" for a missing or zero time (Go's 0001-01-01).
 */
export function formatAgo(value: unknown, now: number = Date.now()): string {
  const date = toDate(value);
  if (!date) return 'never';
  const minutes = Math.floor((now - date.getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  return days === 1 ? 'yesterday' : `${days} days ago`;
}
