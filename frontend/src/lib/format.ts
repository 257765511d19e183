// How numbers and times read in the UI. Pure functions, so they are easy to test.

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Minutes as hours and minutes: 80 → "1:20 h". */
export function formatHours(minutes: number): string {
  const m = Math.max(0, Math.floor(minutes || 0));
  return `${Math.floor(m / 60)}:${pad(m % 60)} h`;
}

/**
 * An RFC 3339 time (or Date) as local "10:42", the way Go writes times in
 * its messages. '' for a missing or zero time (Go's 0001-01-01).
 */
export function formatClock(value: unknown): string {
  const date = toDate(value);
  if (!date) return '';
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
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
