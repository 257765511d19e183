import { describe, expect, it } from 'vitest';
import {
  addZonedDays,
  currentZone,
  dayStart,
  formatAgo,
  formatClock,
  formatDate,
  formatDateTime,
  formatHours,
  formatLimit,
  formatPercent,
  formatRate,
  formatZone,
  isZone,
  limitShare,
  localZone,
  toDate,
  weekStartInZone,
  zonedTime,
  zoneOffsetMinutes,
} from './format';
import { setDisplayZone } from './zone.svelte';

describe('format', () => {
  it('writes minutes as h:mm', () => {
    expect(formatHours(0)).toBe('0:00 h');
    expect(formatHours(80)).toBe('1:20 h');
    expect(formatHours(760)).toBe('12:40 h');
  });

  it('writes local clock times and skips Go zero times', () => {
    const d = new Date();
    d.setHours(9, 5);
    expect(formatClock(d.toISOString())).toBe('09:05');
    expect(formatClock('0001-01-01T00:00:00Z')).toBe('');
    expect(formatClock(undefined)).toBe('');
    expect(toDate('not a time')).toBeNull();
  });

  it('writes rates, limits and the share of the limit', () => {
    expect(formatRate('35.00', 'USD')).toBe('35.00 USD/h');
    expect(formatLimit(0)).toBe('No limit');
    expect(formatLimit(40)).toBe('40 h/week');
    expect(limitShare(36 * 60, 40)).toBe(0.9);
    expect(limitShare(100, 0)).toBeNull();
  });

  it('writes percentages and how long ago a time was', () => {
    expect(formatPercent(0.724)).toBe('72 %');
    expect(formatPercent(0)).toBe('0 %');
    const now = Date.parse('2026-11-25T12:00:00Z');
    const ago = (ms: number) => new Date(now - ms).toISOString();
    expect(formatAgo('0001-01-01T00:00:00Z', now)).toBe('never');
    expect(formatAgo(undefined, now)).toBe('never');
    expect(formatAgo(ago(20_000), now)).toBe('just now');
    expect(formatAgo(ago(2 * 60_000), now)).toBe('2 min ago');
    expect(formatAgo(ago(3 * 3600_000), now)).toBe('3 h ago');
    expect(formatAgo(ago(30 * 3600_000), now)).toBe('yesterday');
    expect(formatAgo(ago(4 * 86_400_000), now)).toBe('4 days ago');
  });
});

describe('time zones', () => {
  // Each test names its zone, so they hold whatever TZ the run has; the
  // npm script runs them under zones east and west of UTC as well.
  const at = (iso: string) => new Date(iso);

  it('shows clock times in the given zone on both sides of UTC', () => {
    const t = '2026-12-07T23:30:00Z';
    expect(formatClock(t, 'UTC')).toBe('23:30');
    expect(formatClock(t, 'Asia/Tokyo')).toBe('08:30');
    expect(formatClock(t, 'America/Los_Angeles')).toBe('15:30');
    expect(formatDate(t, 'Asia/Tokyo')).toBe('Tue 8 Dec 2026');
    expect(formatDate(t, 'America/Los_Angeles')).toBe('Mon 7 Dec 2026');
    expect(formatDateTime(t, 'Europe/Berlin')).toBe('Tue 8 Dec 2026, 00:30');
  });

  it('follows the display zone of the settings, else the computer', () => {
    setDisplayZone('');
    expect(currentZone()).toBe(localZone());
    setDisplayZone('Asia/Kolkata');
    expect(currentZone()).toBe('Asia/Kolkata');
    expect(formatClock('2026-12-07T00:00:00Z')).toBe('05:30');
    setDisplayZone('');
  });

  it('finds local midnight, and days of 23 and 25 hours across DST', () => {
    const ny = 'America/New_York';
    expect(dayStart(at('2026-03-08T15:00:00Z'), ny).toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(addZonedDays(at('2026-03-08T15:00:00Z'), 1, ny).toISOString()).toBe('2026-03-09T04:00:00.000Z');
    const berlin = 'Europe/Berlin';
    const start = dayStart(at('2026-10-25T12:00:00Z'), berlin);
    expect(start.toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect((addZonedDays(start, 1, berlin).getTime() - start.getTime()) / 3600_000).toBe(25);
    expect(dayStart(at('2026-12-07T23:30:00Z'), 'Asia/Tokyo').toISOString()).toBe('2026-12-07T15:00:00.000Z');
  });

  it('walks a week across a DST change day by day', () => {
    // The week of Monday 26 October 2026 in Berlin begins in summer time,
    // the Sunday before: each day starts at local midnight.
    const berlin = 'Europe/Berlin';
    let d = dayStart(at('2026-10-22T10:00:00Z'), berlin); // Thursday
    const starts: string[] = [];
    for (let i = 0; i < 7; i++) {
      starts.push(formatDateTime(d, berlin));
      d = addZonedDays(d, 1, berlin);
    }
    expect(starts).toEqual([
      'Thu 22 Oct 2026, 00:00',
      'Fri 23 Oct 2026, 00:00',
      'Sat 24 Oct 2026, 00:00',
      'Sun 25 Oct 2026, 00:00',
      'Mon 26 Oct 2026, 00:00',
      'Tue 27 Oct 2026, 00:00',
      'Wed 28 Oct 2026, 00:00',
    ]);
  });

  it('takes skipped wall times forward and repeated ones first', () => {
    // 02:30 does not exist in New York on 8 March 2026; 01:30 happens twice on 1 November.
    expect(zonedTime(2026, 3, 8, 2, 30, 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(zonedTime(2026, 11, 1, 1, 30, 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('says where a contract week starts in the reader zone', () => {
    // Monday 00:00 UTC: 01:00 in Berlin in winter, 02:00 in summer; Sunday evening in New York.
    expect(weekStartInZone(1, 0, at('2026-12-09T12:00:00Z'), 'Europe/Berlin')).toBe('Monday 01:00');
    expect(weekStartInZone(1, 0, at('2026-07-08T12:00:00Z'), 'Europe/Berlin')).toBe('Monday 02:00');
    expect(weekStartInZone(1, 0, at('2026-12-09T12:00:00Z'), 'America/New_York')).toBe('Sunday 19:00');
    // A week zone other than UTC: Monday 00:00 in Berlin, read in New York,
    // winter and summer, and in the same zone.
    expect(weekStartInZone(1, 0, at('2026-12-09T12:00:00Z'), 'America/New_York', 'Europe/Berlin')).toBe('Sunday 18:00');
    expect(weekStartInZone(1, 0, at('2026-07-08T12:00:00Z'), 'America/New_York', 'Europe/Berlin')).toBe('Sunday 18:00');
    expect(weekStartInZone(1, 0, at('2026-07-08T12:00:00Z'), 'Europe/Berlin', 'Europe/Berlin')).toBe('Monday 00:00');
    expect(weekStartInZone(0, 22 * 60, at('2026-12-09T12:00:00Z'), 'Asia/Tokyo', 'America/New_York')).toBe('Monday 12:00');
    expect(formatZone('Asia/Kolkata', at('2026-12-09T12:00:00Z'))).toBe('Asia/Kolkata (UTC+05:30)');
    expect(formatZone('America/New_York', at('2026-12-09T12:00:00Z'))).toBe('America/New_York (UTC−05:00)');
    expect(zoneOffsetMinutes(at('2026-07-08T12:00:00Z'), 'America/New_York')).toBe(-240);
    expect(isZone('Europe/Berlin')).toBe(true);
    expect(isZone('Mars/Olympus')).toBe(false);
  });
});

describe('an unknown display zone', () => {
  it('falls back to the computer zone instead of breaking every time', () => {
    setDisplayZone('Mars/Olympus');
    expect(currentZone()).toBe(localZone());
    expect(formatClock('2026-12-07T00:00:00Z')).not.toBe('');
    setDisplayZone('');
  });
});
