// Pure helpers for the diary grid: local days and weeks, grid rows, totals.
// The diary store and its components share them; no bindings here. "Local"
// is the display zone (format.ts): the settings' zone, else the computer's.
import type { diary } from '../../wailsjs/go/models';
import { addZonedDays, currentZone, dayStart, formatClock, toDate, zonedParts, zonedTime } from './format';

export type Segment = diary.View;
export type SegmentImage = diary.Image;

/** One row of the grid: an hour of one contract, six 10-minute cells. */
export type GridRow = {
  key: string;
  /** Local hour, 0–23. */
  hour: number;
  contract: string;
  /** The six cells (:00 … :50); null where nothing was recorded. */
  cells: (Segment | null)[];
};

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Local midnight of the day holding `d`. */
export function startOfDay(d: Date): Date {
  return dayStart(d);
}

/** Local midnight `n` days after the day holding `d` (DST-safe). */
export function addDays(d: Date, n: number): Date {
  return addZonedDays(d, n);
}

/** Local Monday 00:00 of the week holding `d`. */
export function startOfWeek(d: Date): Date {
  return addDays(d, -((zonedParts(d).weekday + 6) % 7));
}

/** "2024-05-06" for a local day: the key of a day and the value of date inputs. */
export function dayKey(d: Date): string {
  const p = zonedParts(d);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** A Date as RFC 3339 UTC without fractions, the way Go's time.RFC3339 writes it. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * A Date as RFC 3339 in the local zone, "2024-05-06T09:00:00+09:00": what
 * Go is sent where its answer should speak of the time as the person
 * entered it.
 */
export function rfc3339Local(d: Date): string {
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const zone = `${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  return `${dayKey(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${zone}`;
}

/** "Monday, 6 May 2024" in the person's locale. */
export function formatDay(d: Date): string {
  return d.toLocaleDateString(undefined, {
    timeZone: currentZone(),
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  });
}

/** The local time of `day` at "HH:MM", or null when the text is not a time. */
export function atTime(day: Date, hhmm: string): Date | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 24 || min > 59 || (h === 24 && min > 0)) return null;
  const p = zonedParts(day);
  return zonedTime(p.year, p.month, p.day, h, min);
}

/** A segment's start as a Date (epoch when unreadable, so it sorts first). */
export function segmentStart(s: Segment): Date {
  return toDate(s.start) ?? new Date(0);
}

/** Minutes a segment counts for: one per tracked minute. */
export function trackedMinutes(s: Segment): number {
  return s.minutes?.length ?? 0;
}

/** Sum of tracked minutes. */
export function totalMinutes(segs: readonly Segment[]): number {
  let sum = 0;
  for (const s of segs) sum += trackedMinutes(s);
  return sum;
}

/** Segments whose start lies in [from, to). */
export function within(segs: readonly Segment[], from: Date, to: Date): Segment[] {
  const a = from.getTime();
  const b = to.getTime();
  return segs.filter((s) => {
    const t = segmentStart(s).getTime();
    return t >= a && t < b;
  });
}

/**
 * Grid rows for one day's segments: one per local hour and contract that
 * has time, in time order. Two contracts in the same hour get two rows, so a
 * cell always holds one segment.
 */
export function gridRows(segs: readonly Segment[], titleOf: (id: string) => string = (id) => id): GridRow[] {
  const rows = new Map<string, GridRow>();
  for (const s of segs) {
    const start = segmentStart(s);
    const { hour, minute } = zonedParts(start);
    const key = `${pad(hour)}|${s.contract}`;
    let row = rows.get(key);
    if (!row) {
      row = { key, hour, contract: s.contract, cells: [null, null, null, null, null, null] };
      rows.set(key, row);
    }
    row.cells[Math.min(5, Math.floor(minute / 10))] = s;
  }
  return [...rows.values()].sort(
    (a, b) => a.hour - b.hour || titleOf(a.contract).localeCompare(titleOf(b.contract)),
  );
}

/** The segments of rows in reading order: left to right, top to bottom. */
export function readingOrder(rows: readonly GridRow[]): Segment[] {
  const out: Segment[] = [];
  for (const row of rows) for (const c of row.cells) if (c) out.push(c);
  return out;
}

/** The ids of the recorded segments, by contract: what Approve takes. */
export function recordedByContract(segs: readonly Segment[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of segs) {
    if (s.state === 'recorded') out.set(s.contract, [...(out.get(s.contract) ?? []), s.id]);
  }
  return out;
}

/** The app used longest in a segment, or ''. */
export function mainApp(s: Segment): string {
  let best = -1;
  let name = '';
  for (const a of s.apps ?? []) {
    if (a.seconds > best) {
      best = a.seconds;
      name = a.name;
    }
  }
  return name;
}

/** The screenshot a cell shows: the first that is not redacted; else the first. */
export function cellShot(s: Segment): SegmentImage | null {
  const shots = s.screenshots ?? [];
  return shots.find((i) => !i.redacted) ?? shots[0] ?? null;
}

/** Minute i (0–9) of a segment, if it was tracked. */
export function minuteAt(s: Segment, i: number): diary.Minute | undefined {
  return s.minutes?.find((m) => m.minute === i);
}

/** Whether a tracked minute had any input. */
export function isActive(m: diary.Minute | undefined): boolean {
  return !!m && (m.keys > 0 || m.clicks > 0 || m.scrolls > 0 || m.moved);
}

/** "10:20–10:30" in local time. */
export function slotLabel(s: Segment): string {
  const a = segmentStart(s);
  const b = new Date(a.getTime() + 10 * 60_000);
  return `${formatClock(a)}–${formatClock(b)}`;
}

/** "9:00" style hour label. */
export function hourLabel(hour: number): string {
  return `${pad(hour)}:00`;
}

/** A number of things in words: plural(3, 'segment') → "3 segments". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The ISO 8601 week holding `d`, "2026-W48", counted in UTC as contract
 * weeks are (Monday 00:00 UTC): what `workdiary timesheet --week` takes.
 */
export function isoWeek(d: Date): string {
  const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  // The Thursday of this week decides the year.
  day.setUTCDate(day.getUTCDate() + 3 - ((day.getUTCDay() + 6) % 7));
  const year = day.getUTCFullYear();
  const week = 1 + Math.floor((day.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000));
  return `${year}-W${pad(week)}`;
}
