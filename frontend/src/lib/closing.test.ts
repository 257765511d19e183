import { describe, expect, it } from 'vitest';
import { node } from '../../wailsjs/go/models';
import { someWeek } from '../testing/fixtures';
import { closedDayLine, closedWeeks, closure, correctionsByWeek, disputeLine, stateDetail, stateLabel, weekAt } from './closing';
import { formatDateTime } from './format';

const w48 = someWeek();
const w49 = someWeek({ week: '2026-W49', start: '2026-11-30T00:00:00Z', state: 'closing', cosigned: false, closed_size: 0, review_until: undefined, unapproved: 3 });
const w50 = someWeek({ week: '2026-W50', start: '2026-12-07T00:00:00Z', state: 'open', cosigned: false, closed_size: 0, review_until: undefined });
const weeks = [w50, w49, w48];

describe('contract weeks in words', () => {
  it('finds the week of an instant and the closed weeks', () => {
    expect(weekAt(weeks, new Date('2026-11-29T23:59:59Z'))?.week).toBe('2026-W48');
    expect(weekAt(weeks, new Date('2026-11-30T00:00:00Z'))?.week).toBe('2026-W49');
    expect(weekAt(weeks, new Date('2026-11-01T00:00:00Z'))).toBeUndefined();
    expect(closedWeeks(weeks).map((w) => w.week)).toEqual(['2026-W48']);
  });

  it('says what each state means, with the deadline in the display zone', () => {
    const deadline = formatDateTime(w49.deadline);
    expect(stateLabel(w49)).toBe('Closing');
    expect(stateDetail(w49, 'contractor')).toBe(
      `Closing on ${deadline}: late approvals until then. 3 segments still unapproved: approve them before then.`,
    );
    expect(stateDetail(w49, 'employer')).toBe(`Closing on ${deadline}: late approvals until then.`);
    expect(stateDetail(w50, 'contractor')).toMatch(/^Open: takes time until it closes on /);
    expect(stateDetail(someWeek({ state: 'open', deadline: undefined }), 'employer')).toBe('Open: this contract’s weeks never close.');
    expect(stateLabel(w48)).toBe('Closed');
    const reviewed = someWeek({ review_until: '2020-01-06T00:00:00Z' });
    expect(stateDetail(reviewed, 'employer')).toBe(
      `Closed at log size 12, cosigned by both parties. Its review window ended on ${formatDateTime(reviewed.review_until)}.`,
    );
    const reviewing = someWeek({ reviewing: true });
    expect(stateDetail(reviewing, 'contractor')).toMatch(/The employer may dispute its time until /);
  });

  it('tells each side who a close still waits for', () => {
    const waiting = someWeek({ cosigned: false, closed_size: 0 });
    expect(stateLabel(waiting)).toBe('Closed, not signed yet');
    expect(stateDetail(waiting, 'contractor')).toMatch(/waiting for the employer’s cosignature at the next sync\.$/);
    expect(stateDetail(waiting, 'employer')).toMatch(/waiting for the contractor’s close at the next sync\.$/);
  });

  it('says why a closed day cannot change, and where a correction goes', () => {
    expect(closedDayLine(w48, 'contractor')).toBe(
      'Week 2026-W48 is closed: both parties signed its close at log size 12, so its time can no longer be edited or approved. ' +
        'Missing time goes in the current week as manual time that corrects 2026-W48.',
    );
    expect(closedDayLine(w48, 'employer')).toBe('Week 2026-W48 is closed: both parties signed its close at log size 12, so its time no longer changes.');
    expect(closedDayLine(w49, 'contractor')).toBe('');
    expect(closedDayLine(undefined, 'contractor')).toBe('');
  });

  it('finds a day closed only when all of it lies in closed weeks of every contract shown', () => {
    const other = [someWeek({ state: 'closing', cosigned: false })];
    const of = (c: string) => (c === 'a' ? weeks : other);
    const sunday = [new Date('2026-11-29T00:00:00Z'), new Date('2026-11-30T00:00:00Z')] as const;
    expect(closure(of, ['a'], ...sunday)).toEqual({ all: true, weeks: [w48] });
    expect(closure(of, ['a', 'b'], ...sunday).all).toBe(false);
    // A day that straddles the week's end (a zone east of UTC) is half open.
    const straddle = closure(of, ['a'], new Date('2026-11-29T15:00:00Z'), new Date('2026-11-30T15:00:00Z'));
    expect(straddle).toEqual({ all: false, weeks: [w48] });
    expect(closure(of, [], ...sunday)).toEqual({ all: false, weeks: [] });
  });

  it('reads a dispute with its minutes and whether it is bound yet', () => {
    const d = node.DisputeView.createFrom({ id: 'x', reason: 'Not this project', segments_minutes: 20, answers: [], pending: true });
    expect(disputeLine(d)).toBe('20 min disputed (not bound into the log yet: waiting for the next sync): Not this project');
  });

  it('sums a timesheet’s corrections by the week they correct', () => {
    expect(
      correctionsByWeek([
        { corrects: '2026-W47', minutes: 10 },
        { corrects: '2026-W46', minutes: 10 },
        { corrects: '2026-W47', minutes: 7 },
      ]),
    ).toEqual([
      { week: '2026-W47', minutes: 17 },
      { week: '2026-W46', minutes: 10 },
    ]);
  });
});
