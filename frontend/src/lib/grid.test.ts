import { describe, expect, it } from 'vitest';
import { someSegment, todayAt } from '../testing/fixtures';
import { gridRows, rfc3339Local, type Segment } from './diary';
import { formatDuration, gaps, minuteMarks, rangeWithDuration, rowItems, rowTotals, spanLabel, stepTimes } from './grid';

/** A segment that tracked only the given minutes (with input in each). */
function onlyMinutes(start: Date, minutes: number[], over: Partial<Segment> = {}): Segment {
  const s = someSegment({ start, ...over });
  return { ...s, minutes: s.minutes.filter((m) => minutes.includes(m.minute)) } as Segment;
}

describe('grid items', () => {
  it('draws a run of manual time with one memo as one block, and the rest one cell each', () => {
    const manual = (min: number, memo = 'Call with Grace') =>
      someSegment({ start: todayAt(9, min), kind: 'manual', memo, screenshots: [], active: 0 });
    const segs = [manual(0), manual(10), manual(20), manual(30, 'Other'), someSegment({ start: todayAt(9, 50) })];
    const items = rowItems(gridRows(segs)[0]);
    expect(items.map((i) => [i.col, i.span, i.segments.length])).toEqual([
      [0, 3, 3],
      [3, 1, 1],
      [5, 1, 1],
    ]);
    expect(rangeWithDuration(items[0].segments)).toBe('09:00–09:30 (30 min)');
  });

  it('does not join recorded cells, nor manual time across a gap', () => {
    const manual = (min: number) => someSegment({ start: todayAt(9, min), kind: 'manual', screenshots: [] });
    const items = rowItems(gridRows([manual(0), manual(20), someSegment({ start: todayAt(9, 30) }), someSegment({ start: todayAt(9, 40) })])[0]);
    expect(items.map((i) => i.span)).toEqual([1, 1, 1, 1]);
  });

  it('marks each minute where it fell: with input, without, waiting for the idle question, untracked', () => {
    const s = someSegment({ start: todayAt(9, 0), active: 3, idle_pending: [5] });
    const partial = { ...s, minutes: s.minutes.filter((m) => m.minute !== 8 && m.minute !== 9) } as Segment;
    expect(minuteMarks(partial)).toEqual(['active', 'active', 'active', 'idle', 'idle', 'pending', 'idle', 'idle', 'none', 'none']);
    expect(gaps(partial)).toEqual([[8, 2]]);
    expect(gaps(onlyMinutes(todayAt(9, 0), [9]))).toEqual([[0, 9]]);
  });

  it('names the time covered from the first tracked minute to the end of the last', () => {
    const one = onlyMinutes(todayAt(9, 50), [7]);
    expect(spanLabel([one])).toBe('09:57–09:58');
    expect(rangeWithDuration([one])).toBe('09:57–09:58 (1 min)');
    const day = [someSegment({ start: todayAt(9, 0) }), ...Array.from({ length: 13 }, (_, i) => someSegment({ start: todayAt(9, 10 + i * 10) }))];
    expect(rangeWithDuration(day)).toBe('09:00–11:20 (2 h 20 min)');
    expect(rangeWithDuration([])).toBe('0 min');
  });

  it('totals each hour row: minutes and screenshots', () => {
    const rows = gridRows([someSegment({ start: todayAt(9, 0) }), onlyMinutes(todayAt(9, 10), [0, 1, 2]), someSegment({ start: todayAt(10, 0) })]);
    expect(rows.map(rowTotals)).toEqual([
      { minutes: 13, screenshots: 2 },
      { minutes: 10, screenshots: 1 },
    ]);
  });

  it('says durations in words', () => {
    expect([0, 7, 60, 140, 600].map(formatDuration)).toEqual(['0 min', '7 min', '1 h', '2 h 20 min', '10 h']);
  });

  it('offers 10-minute steps: starts to 23:50, ends to 24:00', () => {
    const starts = stepTimes(false);
    const ends = stepTimes(true);
    expect(starts).toHaveLength(144);
    expect([starts[0], starts[1], starts[143]]).toEqual(['00:00', '00:10', '23:50']);
    expect([ends[0], ends[143]]).toEqual(['00:10', '24:00']);
  });

  it('writes local times with their offset, as the same instant', () => {
    const d = todayAt(5, 0);
    const text = rfc3339Local(d);
    expect(text).toMatch(/T05:00:00[+-]\d\d:\d\d$/);
    expect(new Date(text).getTime()).toBe(d.getTime());
  });
});
