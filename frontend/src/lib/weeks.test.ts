import { describe, expect, it } from 'vitest';
import { rangeDates, recentWeeks, weekDates, weekStart } from './weeks';

describe('weeks', () => {
  it('finds the Monday that starts an ISO week', () => {
    expect(weekStart('2026-W49')?.toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(weekStart('2026-w01')?.toISOString()).toBe('2025-12-29T00:00:00.000Z');
    expect(weekStart('2026-W53')?.toISOString()).toBe('2026-12-28T00:00:00.000Z');
    expect(weekStart('2025-W53')).toBeNull();
    expect(weekStart('2026-49')).toBeNull();
  });

  it('names a week by its dates', () => {
    expect(weekDates('2026-W49')).toBe('30 Nov – 6 Dec 2026');
    expect(weekDates('2026-W01')).toBe('29 Dec 2025 – 4 Jan 2026');
    expect(rangeDates('2026-11-23T00:00:00Z', '2026-11-30T00:00:00Z')).toBe('23 Nov – 29 Nov 2026');
    // A Berlin week starts on Sunday in UTC; its dates are Berlin's.
    expect(rangeDates('2026-11-22T23:00:00Z', '2026-11-29T23:00:00Z', 'Europe/Berlin')).toBe('23 Nov – 29 Nov 2026');
    expect(rangeDates('2026-12-27T23:00:00Z', '2027-01-03T23:00:00Z', 'Europe/Berlin')).toBe('28 Dec 2026 – 3 Jan 2027');
  });

  it('offers this week and the ones before, by dates', () => {
    const weeks = recentWeeks(new Date('2026-12-05T23:30:00Z'), 3);
    expect(weeks).toEqual([
      { week: '2026-W49', label: 'This week · 30 Nov – 6 Dec 2026' },
      { week: '2026-W48', label: 'Last week · 23 Nov – 29 Nov 2026' },
      { week: '2026-W47', label: 'Week 47 · 16 Nov – 22 Nov 2026' },
    ]);
    // Across a year: the weeks run on without a gap.
    expect(recentWeeks(new Date('2027-01-06T12:00:00Z'), 3).map((w) => w.week)).toEqual(['2027-W01', '2026-W53', '2026-W52']);
    // Sunday 23:30 UTC is already Monday in Berlin: a Berlin week has begun.
    expect(recentWeeks(new Date('2026-11-29T23:30:00Z'), 1)[0].week).toBe('2026-W48');
    expect(recentWeeks(new Date('2026-11-29T23:30:00Z'), 1, 'Europe/Berlin')[0].week).toBe('2026-W49');
  });
});
