// Contract weeks as people read them. A contract week is named by its ISO
// week ("2026-W49") and runs Monday 00:00 to Monday 00:00 UTC; the app
// shows it as dates ("30 Nov – 6 Dec 2026") and offers recent weeks to
// pick from instead of asking for the name.
import { isoWeek } from './diary';
import { zonedParts } from './format';

const DAY_MS = 86_400_000;
const MONTH = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const FULL = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** The Monday 00:00 UTC that starts an ISO week ("2026-W49"); null when the name is not one. */
export function weekStart(week: string): Date | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(week.trim().toUpperCase());
  if (!m) return null;
  const year = Number(m[1]);
  const n = Number(m[2]);
  // 4 January is always in week 1.
  const jan4 = Date.UTC(year, 0, 4);
  const monday1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS;
  const start = new Date(monday1 + (n - 1) * 7 * DAY_MS);
  return isoWeek(start) === `${year}-W${m[2]}` ? start : null;
}

/** A week's days as dates: "30 Nov – 6 Dec 2026"; the name itself when it is not a week. */
export function weekDates(week: string): string {
  const start = weekStart(week);
  if (!start) return week;
  const last = new Date(start.getTime() + 6 * DAY_MS);
  const from = start.getUTCFullYear() === last.getUTCFullYear() ? MONTH.format(start) : FULL.format(start);
  return `${from} – ${FULL.format(last)}`;
}

/** A date range given as RFC 3339 start and exclusive end, as dates in zone: "23 Nov – 29 Nov 2026". */
export function rangeDates(start: string, end: string, zone = 'UTC'): string {
  const a = new Date(start);
  const b = new Date(new Date(end).getTime() - 1);
  if (Number.isNaN(a.getTime()) || Number.isNaN(b.getTime())) return `${start} – ${end}`;
  const month = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: zone });
  const full = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: zone });
  const year = new Intl.DateTimeFormat('en-GB', { year: 'numeric', timeZone: zone });
  const from = year.format(a) === year.format(b) ? month.format(a) : full.format(a);
  return `${from} – ${full.format(b)}`;
}

export type WeekOption = { week: string; label: string };

/**
 * The weeks to pick from, newest first: this week (by the date in the
 * contract's week zone), last week, then back `count` weeks in all, each
 * named by its dates.
 */
export function recentWeeks(now: Date, count = 26, zone = 'UTC'): WeekOption[] {
  const out: WeekOption[] = [];
  const p = zonedParts(now, zone);
  const today = new Date(Date.UTC(p.year, p.month - 1, p.day));
  const start = weekStart(isoWeek(today)) ?? today;
  for (let i = 0; i < count; i++) {
    const week = isoWeek(new Date(start.getTime() - i * 7 * DAY_MS));
    const when = i === 0 ? 'This week' : i === 1 ? 'Last week' : `Week ${Number(week.slice(-2))}`;
    out.push({ week, label: `${when} · ${weekDates(week)}` });
  }
  return out;
}
