import { describe, expect, it } from 'vitest';
import { formatAgo, formatClock, formatHours, formatLimit, formatPercent, formatRate, limitShare, toDate } from './format';

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
