// How the other party's state reads: whether a contractor is working now
// and on what, and a failed sync said calmly when the other side is only
// offline (the normal case for a desktop), in red only when it needs action.
import { sentence } from './errors';
import { formatClock, toDate } from './format';

/** A segment is ten minutes; work counts as "now" until a sync's delay after it ends. */
const NOW_MS = 20 * 60_000;

export type WorkLine = { now: boolean; text: string; memo: string };

/** What the latest received segment says: "Working now" or "Last worked at 10:40"; null without one. */
export function workLine(lastWork: unknown, memo: string | undefined, now: number = Date.now()): WorkLine | null {
  const start = toDate(lastWork);
  if (!start) return null;
  const fresh = now - start.getTime() < NOW_MS;
  return { now: fresh, text: fresh ? 'Working now' : `Last worked at ${formatClock(start)}`, memo: memo ?? '' };
}

export type SyncNote = { tone: 'calm' | 'failed'; text: string };

/**
 * A sync problem in words: an offline counterpart waits calmly, anything
 * else is a failure to look at. null when the last sync went well.
 */
export function syncNote(error: string | undefined, unreachable: boolean | undefined, who: 'employer' | 'contractor'): SyncNote | null {
  if (!error) return null;
  if (unreachable) return { tone: 'calm', text: `Waiting for your ${who} to come online; the next sync tries again.` };
  return { tone: 'failed', text: `Last sync failed: ${sentence(error)}` };
}
