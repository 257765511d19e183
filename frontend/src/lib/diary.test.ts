import { describe, expect, it } from 'vitest';
import { someSegment, todayAt } from '../testing/fixtures';
import {
  addDays,
  atTime,
  gridRows,
  isoWeek,
  mainApp,
  readingOrder,
  recordedByContract,
  rfc3339,
  startOfWeek,
  totalMinutes,
  within,
} from './diary';

describe('diary helpers', () => {
  it('finds local weeks from Monday and writes RFC 3339 without fractions', () => {
    const wed = new Date(2024, 4, 8, 15, 30);
    expect(startOfWeek(wed)).toEqual(new Date(2024, 4, 6));
    expect(startOfWeek(new Date(2024, 4, 12, 23))).toEqual(new Date(2024, 4, 6));
    expect(addDays(new Date(2024, 4, 6), 7)).toEqual(new Date(2024, 4, 13));
    expect(rfc3339(new Date(Date.UTC(2024, 4, 6, 8, 0, 0, 123)))).toBe('2024-05-06T08:00:00Z');
  });

  it('reads HH:MM on a day and rejects nonsense', () => {
    const day = new Date(2024, 4, 6);
    expect(atTime(day, '09:05')).toEqual(new Date(2024, 4, 6, 9, 5));
    expect(atTime(day, '24:00')).toEqual(new Date(2024, 4, 7));
    expect(atTime(day, '25:00')).toBeNull();
    expect(atTime(day, '')).toBeNull();
  });

  it('lays segments out as hour rows of six cells, one row per contract and hour', () => {
    const other = 'b'.repeat(64);
    const segs = [
      someSegment({ start: todayAt(11, 50) }),
      someSegment({ start: todayAt(9, 0) }),
      someSegment({ start: todayAt(9, 20), contract: other }),
      someSegment({ start: todayAt(9, 30) }),
    ];
    const rows = gridRows(segs, (id) => (id === other ? 'B' : 'A'));

    expect(rows.map((r) => [r.hour, r.contract === other ? 'B' : 'A'])).toEqual([
      [9, 'A'],
      [9, 'B'],
      [11, 'A'],
    ]);
    expect(rows[0].cells.map((c) => (c ? 'x' : '.')).join('')).toBe('x..x..');
    expect(rows[2].cells[5]).toBe(segs[0]);
    expect(readingOrder(rows)).toEqual([segs[1], segs[3], segs[2], segs[0]]);
    expect([...recordedByContract(segs).keys()].sort()).toEqual([segs[0].contract, other].sort());
  });

  it('totals tracked minutes, filters by start, finds the main app', () => {
    const full = someSegment({ start: todayAt(9, 0) });
    const part = someSegment({ start: todayAt(9, 10), minutes: full.minutes.slice(0, 4) });
    expect(totalMinutes([full, part])).toBe(14);
    expect(within([full, part], todayAt(9, 5), todayAt(10, 0))).toEqual([part]);
    expect(mainApp(full)).toBe('code');
  });

  it('names ISO weeks in UTC, across year ends', () => {
    expect(isoWeek(new Date('2026-11-23T00:00:00Z'))).toBe('2026-W48');
    expect(isoWeek(new Date('2026-11-29T23:59:59Z'))).toBe('2026-W48');
    expect(isoWeek(new Date('2026-11-30T00:00:00Z'))).toBe('2026-W49');
    expect(isoWeek(new Date('2021-01-03T12:00:00Z'))).toBe('2020-W53');
    expect(isoWeek(new Date('2024-12-30T12:00:00Z'))).toBe('2025-W01');
    expect(isoWeek(new Date('2026-01-01T00:00:00Z'))).toBe('2026-W01');
  });
});

describe('diary days in the display zone', () => {
  it('puts segments in the hours and days of the display zone, not the computer', async () => {
    const { setDisplayZone } = await import('./zone.svelte');
    const { dayKey, startOfDay, slotLabel } = await import('./diary');
    try {
      setDisplayZone('Asia/Tokyo');
      const s = someSegment({ start: new Date('2026-12-07T23:20:00Z') });
      const rows = gridRows([s]);
      expect(rows[0].hour).toBe(8);
      expect(rows[0].cells[2]).toBe(s);
      expect(slotLabel(s)).toBe('08:20–08:30');
      expect(dayKey(new Date('2026-12-07T23:20:00Z'))).toBe('2026-12-08');
      expect(startOfDay(new Date('2026-12-07T23:20:00Z')).toISOString()).toBe('2026-12-07T15:00:00.000Z');
      setDisplayZone('America/New_York');
      expect(dayKey(new Date('2026-12-07T23:20:00Z'))).toBe('2026-12-07');
      expect(startOfWeek(new Date('2026-12-07T03:00:00Z')).toISOString()).toBe('2026-11-30T05:00:00.000Z');
      expect(atTime(startOfDay(new Date('2026-03-08T15:00:00Z')), '09:00')?.toISOString()).toBe('2026-03-08T13:00:00.000Z');
    } finally {
      setDisplayZone('');
    }
  });
});
