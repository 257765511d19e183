// Contract weeks as open, closing or closed, in words for either side. A
// week closes for new time at its deadline (the offer's close term after
// its end); both parties then sign its close, after which its time never
// changes: missing time goes into the current week as a correction that
// names the closed week. No bindings here; the weeks store reads them.
import type { node } from '../../wailsjs/go/models';
import { plural } from './diary';
import { formatDateTime, toDate } from './format';

export type WeekView = node.WeekView;
export type Side = 'employer' | 'contractor';

/** The week of `weeks` that holds the instant `at`, if listed. */
export function weekAt(weeks: readonly WeekView[], at: Date): WeekView | undefined {
  const t = at.getTime();
  return weeks.find((w) => (toDate(w.start)?.getTime() ?? Infinity) <= t && t < (toDate(w.end)?.getTime() ?? -Infinity));
}

/** The closed weeks, newest first as listed: what a correction may name. */
export function closedWeeks(weeks: readonly WeekView[]): WeekView[] {
  return weeks.filter((w) => w.state === 'closed');
}

/** The closed weeks that overlap [from, to), newest first. */
export function closedWithin(weeks: readonly WeekView[], from: Date, to: Date): WeekView[] {
  return closedWeeks(weeks).filter(
    (w) => (toDate(w.start)?.getTime() ?? Infinity) < to.getTime() && from.getTime() < (toDate(w.end)?.getTime() ?? -Infinity),
  );
}

/** The week's state in a word or two, for its badge. */
export function stateLabel(w: WeekView): string {
  if (w.state === 'closed') return w.cosigned ? 'Closed' : 'Closed, not signed yet';
  if (w.state === 'closing') return 'Closing';
  return 'Open';
}

/** What the week's state means for `side`, with times in the display zone. */
export function stateDetail(w: WeekView, side: Side): string {
  const unapproved =
    side === 'contractor' && w.unapproved > 0
      ? ` ${plural(w.unapproved, 'segment')} still unapproved: approve ${w.unapproved === 1 ? 'it' : 'them'} before then.`
      : '';
  const deadline = formatDateTime(w.deadline);
  if (w.state === 'open') {
    return deadline ? `Open: takes time until it closes on ${deadline}.${unapproved}` : 'Open: this contract’s weeks never close.';
  }
  if (w.state === 'closing') return `Closing on ${deadline}: late approvals until then.${unapproved}`;
  if (!w.cosigned) {
    const who = side === 'contractor' ? 'the employer’s cosignature' : 'the contractor’s close';
    return `Closed for new time since ${deadline}; waiting for ${who} at the next sync.`;
  }
  return `Closed at log size ${w.closed_size}, cosigned by both parties.${reviewLine(w)}`;
}

/**
 * The employer's review window of a closed week, as a sentence with a
 * leading space; whether it is open is the node's word, by its clock.
 */
function reviewLine(w: WeekView): string {
  const until = toDate(w.review_until);
  if (!until) return '';
  const when = formatDateTime(until);
  return w.reviewing ? ` The employer may dispute its time until ${when}.` : ` Its review window ended on ${when}.`;
}

/**
 * Why a diary day in a closed week cannot be edited or approved, and what
 * to do instead; '' for a week that is not closed.
 */
export function closedDayLine(w: WeekView | undefined, side: Side): string {
  if (!w || w.state !== 'closed') return '';
  const signed = w.cosigned
    ? `both parties signed its close at log size ${w.closed_size}`
    : 'its deadline has passed';
  if (side === 'employer') return `Week ${w.week} is closed: ${signed}, so its time no longer changes.`;
  return (
    `Week ${w.week} is closed: ${signed}, so its time can no longer be edited or approved. ` +
    `Missing time goes in the current week as manual time that corrects ${w.week}.`
  );
}

/** How a dispute reads: its minutes and reason. */
export function disputeLine(d: node.DisputeView): string {
  const pending = d.pending ? ' (not bound into the log yet: waiting for the next sync)' : '';
  return `${d.segments_minutes} min disputed${pending}: ${d.reason}`;
}

/**
 * How closed the time [from, to) is for the given contracts: `weeks` are the
 * closed weeks that overlap it (one per contract and week), and `all` says
 * whether every contract's time there lies in closed weeks, so nothing of
 * it can be edited or approved any more.
 */
export function closure(
  weeksOf: (contract: string) => readonly WeekView[],
  contracts: readonly string[],
  from: Date,
  to: Date,
): { all: boolean; weeks: WeekView[] } {
  const last = new Date(to.getTime() - 1);
  const out: WeekView[] = [];
  let all = contracts.length > 0;
  for (const c of contracts) {
    const ws = weeksOf(c);
    out.push(...closedWithin(ws, from, to).filter((w) => !out.some((o) => o.week === w.week)));
    if (weekAt(ws, from)?.state !== 'closed' || weekAt(ws, last)?.state !== 'closed') all = false;
  }
  return { all, weeks: out };
}

/** A timesheet's corrections summed by the closed week each makes up for, in order of first mention. */
export function correctionsByWeek(corrections: readonly { corrects: string; minutes: number }[]): { week: string; minutes: number }[] {
  const out: { week: string; minutes: number }[] = [];
  for (const c of corrections) {
    const seen = out.find((o) => o.week === c.corrects);
    if (seen) seen.minutes += c.minutes;
    else out.push({ week: c.corrects, minutes: c.minutes });
  }
  return out;
}
