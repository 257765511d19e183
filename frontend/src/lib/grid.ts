// What the diary grid draws in each hour row: single segments, runs of
// manual time as one block, the minutes each covers, and the row's totals.
// Pure, so the grid's layout can be tested without a DOM.
import { isActive, minuteAt, segmentStart, trackedMinutes, type GridRow, type Segment } from './diary';

/** One thing in a row: a segment, or a run of manual segments drawn as one block. */
export type GridItem = {
  /** The first segment's id: the item's key and its focus target. */
  id: string;
  segments: Segment[];
  /** Column (0–5) where the item starts, and how many it spans. */
  col: number;
  span: number;
};

/** One minute of a segment as the grid draws it. */
export type MinuteMark = 'active' | 'idle' | 'pending' | 'none';

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Manual segments that read as one stretch of work: same state and memo. */
function joins(a: Segment, b: Segment): boolean {
  return a.kind === 'manual' && b.kind === 'manual' && a.state === b.state && a.memo === b.memo;
}

/**
 * The items of a row, left to right. Manual segments in adjacent columns
 * with the same memo and state become one block: 70 minutes of manual time
 * read as one entry, not seven identical cards.
 */
export function rowItems(row: GridRow): GridItem[] {
  const out: GridItem[] = [];
  row.cells.forEach((s, col) => {
    if (!s) return;
    const last = out[out.length - 1];
    if (last && last.col + last.span === col && joins(last.segments[last.segments.length - 1], s)) {
      last.segments.push(s);
      last.span++;
      return;
    }
    out.push({ id: s.id, segments: [s], col, span: 1 });
  });
  return out;
}

/** Each of a segment's ten minutes: with input, without, waiting for the idle question, or not tracked. */
export function minuteMarks(s: Segment): MinuteMark[] {
  const pending = new Set(s.idle_pending ?? []);
  return Array.from({ length: 10 }, (_, i) => {
    const m = minuteAt(s, i);
    if (!m) return 'none';
    if (pending.has(i)) return 'pending';
    return isActive(m) ? 'active' : 'idle';
  });
}

/** Runs of untracked minutes in a segment, as [first, count]: what the grid shades as empty. */
export function gaps(s: Segment): [number, number][] {
  const out: [number, number][] = [];
  minuteMarks(s).forEach((m, i) => {
    if (m !== 'none') return;
    const last = out[out.length - 1];
    if (last && last[0] + last[1] === i) last[1]++;
    else out.push([i, 1]);
  });
  return out;
}

/** "09:00" local. */
export function clock(d: Date): string {
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * The time segments cover, "09:00–11:20", from the first tracked minute to
 * the end of the last one; '' for none. A gap between them is not named:
 * the duration beside it says how much is counted.
 */
export function spanLabel(segs: readonly Segment[]): string {
  let from = Infinity;
  let to = -Infinity;
  for (const s of segs) {
    const start = segmentStart(s).getTime();
    for (const m of s.minutes ?? []) {
      from = Math.min(from, start + m.minute * 60_000);
      to = Math.max(to, start + (m.minute + 1) * 60_000);
    }
  }
  if (from === Infinity) return '';
  return `${clock(new Date(from))}–${clock(new Date(to))}`;
}

/** Minutes as words: 140 → "2 h 20 min", 60 → "1 h", 7 → "7 min". */
export function formatDuration(minutes: number): string {
  const m = Math.max(0, Math.round(minutes || 0));
  const h = Math.floor(m / 60);
  if (h === 0) return `${m} min`;
  return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
}

/** "09:00–11:20 (2 h 20 min)": the range and the time it counts. */
export function rangeWithDuration(segs: readonly Segment[]): string {
  const span = spanLabel(segs);
  let minutes = 0;
  for (const s of segs) minutes += trackedMinutes(s);
  return span ? `${span} (${formatDuration(minutes)})` : formatDuration(minutes);
}

/** A row's tracked minutes and screenshots: its hour total. */
export function rowTotals(row: GridRow): { minutes: number; screenshots: number } {
  let minutes = 0;
  let screenshots = 0;
  for (const s of row.cells) {
    if (!s) continue;
    minutes += trackedMinutes(s);
    screenshots += s.screenshots?.length ?? 0;
  }
  return { minutes, screenshots };
}

/**
 * The day's times in 10-minute steps, "00:00" … "23:50"; with end, from
 * "00:10" to "24:00" (the end of the day). What manual time can start and
 * end on.
 */
export function stepTimes(end: boolean): string[] {
  const out: string[] = [];
  for (let m = end ? 10 : 0; m <= (end ? 1440 : 1430); m += 10) out.push(`${pad(Math.floor(m / 60))}:${pad(m % 60)}`);
  return out;
}
