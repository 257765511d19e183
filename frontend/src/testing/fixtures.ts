// Identity DTOs shaped like what app.IdentityAPI returns, for tests.
import { node, type app, type timesheet } from '../../wailsjs/go/models';
import type { Segment, SegmentImage } from '../lib/diary';
import { isoWeek } from '../lib/diary';
import type { Contract, InvitePreview, SyncResult, SyncState } from '../stores/contracts.svelte';
import type { Identity } from '../stores/identity.svelte';
import type { TeamRow } from '../stores/team.svelte';
import type { TimesheetResult } from '../stores/timesheets.svelte';
import type { TrackingStatus } from '../stores/tracker.svelte';

export function noIdentity(): Identity {
  return {
    exists: false,
    name: '',
    peer_id: '',
    fingerprint: '',
    ssh_public_key: '',
    data_folder: '/home/ada/.local/share/workdiary',
  } as Identity;
}

export function someIdentity(name = 'Ada Lovelace'): Identity {
  return {
    exists: true,
    name,
    peer_id: '12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo',
    fingerprint: 'SHA256:3q2+7w/1zNoQk5aG0m9Yb8dQ0sT1yqk4hR2cW6vQeLs',
    ssh_public_key:
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGp8tq3xq0Yc9l1t2Qm0mJmQ0oWm9Jf6oVb8n3rJt5sQ workdiary:' +
      name,
    data_folder: '/home/ada/.local/share/workdiary',
  } as Identity;
}

// Contract and tracker DTOs shaped like what app.ContractsAPI and app.TrackerAPI return.
export const CONTRACT_ID = 'a'.repeat(64);
/** A second contract, where a test needs two. */
export const OTHER_CONTRACT_ID = 'b'.repeat(64);

export function someContract(over: Partial<Contract> = {}): Contract {
  return {
    id: CONTRACT_ID,
    title: 'Website redesign',
    role: 'contractor',
    counterpart: 'Grace Hopper',
    rate: '35.00',
    currency: 'USD',
    weekly_limit_hours: 40,
    state: 'active',
    week_zone: 'UTC',
    ...over,
  } as Contract;
}

export function someSyncState(over: Partial<SyncState> = {}): SyncState {
  return {
    contract: CONTRACT_ID,
    title: 'Website redesign',
    role: 'contractor',
    online: true,
    seq: 12,
    last_sync: '0001-01-01T00:00:00Z',
    error: '',
    ...over,
  } as SyncState;
}

export function someSyncResult(over: Partial<SyncResult> = {}): SyncResult {
  return {
    contract: CONTRACT_ID,
    title: 'Website redesign',
    role: 'contractor',
    seq: 12,
    total: 12,
    error: '',
    ...over,
  } as SyncResult;
}

export const CONSENT = [
  'Rate: 35.00 USD per hour',
  'Weekly limit: 40 hours; tracking stops at the limit',
  '1 screenshot of all your monitors at a random moment in every 10 minutes',
  'Screenshots are not blurred',
  'No webcam',
  'Counts of key presses, mouse clicks and scrolls per minute — never which keys or what you type',
  'The name of the app you are using and its window title, every few seconds',
  'Manual time is not allowed',
  'Weeks start Monday 00:00 UTC',
  'Once a week has closed, the employer has 5 days to dispute its time, with a reason you can answer',
];

export function somePreview(): InvitePreview {
  return {
    contract: someContract({ state: 'offered', counterpart: 'Grace Hopper' }),
    employer: 'Grace Hopper',
    employer_fingerprint: 'SHA256:9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddccbbaa9988',
    consent: CONSENT,
  } as InvitePreview;
}

export function someStatus(over: Partial<TrackingStatus> = {}): TrackingStatus {
  return {
    running: false,
    contract: '',
    title: '',
    memo: '',
    started: '0001-01-01T00:00:00Z',
    segment_start: '0001-01-01T00:00:00Z',
    segment_minutes: 0,
    today_minutes: 0,
    week_minutes: 0,
    weekly_limit_hours: 0,
    last_thumb: '',
    session: { kind: 'x11' },
    session_lines: ['X11 session: screenshots, input counts and the app in front are recorded'],
    session_limited: false,
    ...over,
  } as TrackingStatus;
}

/** A running session on CONTRACT_ID since 10:42 local time today, 4 minutes into its segment. */
export function runningStatus(over: Partial<TrackingStatus> = {}): TrackingStatus {
  const started = new Date();
  started.setHours(10, 42, 0, 0);
  return someStatus({
    running: true,
    contract: CONTRACT_ID,
    title: 'Website redesign',
    memo: 'Header layout',
    started: started.toISOString(),
    segment_start: new Date(started.getTime() - 2 * 60_000).toISOString(),
    segment_minutes: 4,
    // Minutes :42–:45 of the 10:40 segment; no input in :44.
    segment_detail: [2, 3, 4, 5].map((minute) => ({ minute, keys: minute === 4 ? 0 : 30, clicks: 0, scrolls: 0, moved: false })),
    segment_idle: [],
    today_minutes: 80,
    week_minutes: 760,
    weekly_limit_hours: 40,
    ...over,
  });
}

// Diary DTOs shaped like what app.DiaryAPI.List returns.
type SegmentOver = Partial<Omit<Segment, 'start'>> & { start?: Date; active?: number };

/** Today at the given local time, as a Date. */
export function todayAt(hour: number, minute: number): Date {
  const d = new Date();
  d.setHours(hour, minute, 0, 0);
  return d;
}

/** A stored image as the diary lists it. */
export function someImage(over: Partial<SegmentImage> = {}): SegmentImage {
  return {
    hash: 'img',
    thumb: 'img-thumb',
    taken_at: new Date().toISOString(),
    width: 1920,
    height: 1080,
    bytes: 200_000,
    blurred: false,
    redacted: false,
    ...over,
  } as SegmentImage;
}

/**
 * A full 10-minute auto segment of CONTRACT_ID (by default today 10:20 local)
 * with `active` of its 10 minutes active, one screenshot and one app.
 */
export function someSegment(over: SegmentOver = {}): Segment {
  const { start = todayAt(10, 20), active = 7, ...rest } = over;
  const contract = rest.contract ?? CONTRACT_ID;
  const at = new Date(start.getTime() + 4 * 60_000).toISOString();
  return {
    id: `${contract}-${Math.floor(start.getTime() / 1000)}`,
    contract,
    start: start.toISOString(),
    end: new Date(start.getTime() + 10 * 60_000).toISOString(),
    state: 'recorded',
    kind: 'auto',
    memo: 'Header layout',
    active_minutes: active,
    keys: active * 40,
    clicks: active * 5,
    scrolls: active,
    minutes: Array.from({ length: 10 }, (_, i) => ({
      minute: i,
      keys: i < active ? 40 : 0,
      clicks: i < active ? 5 : 0,
      scrolls: i < active ? 1 : 0,
      moved: false,
    })),
    apps: [
      { name: 'code', title: 'header.svelte — Visual Studio Code', seconds: 420 },
      { name: 'firefox', title: 'MDN', seconds: 180 },
    ],
    screenshots: [someImage({ hash: `shot-${start.getTime()}`, thumb: `thumb-${start.getTime()}`, taken_at: at })],
    webcam: [],
    over_limit: false,
    idle_pending: [],
    ...rest,
  } as Segment;
}

// Team DTOs shaped like what app.TeamAPI returns.
/** A contractor on CONTRACT_ID: 1:20 h today, 12:40 h of 40 h this week, synced 2 minutes ago. */
export function someTeamRow(over: Partial<TeamRow> = {}): TeamRow {
  return {
    contract: CONTRACT_ID,
    title: 'Website redesign',
    contractor: 'Ada Lovelace',
    fingerprint: 'ZFC4-X4VF-MAQA-EFA6',
    state: 'active',
    weekly_limit_hours: 40,
    today_minutes: 80,
    week_minutes: 760,
    activity_percent: 72,
    entries: 76,
    last_sync: new Date(Date.now() - 2 * 60_000).toISOString(),
    online: true,
    sync_error: '',
    week_amount: '443.33',
    currency: 'USD',
    last_work: new Date(Date.now() - 12 * 60_000).toISOString(),
    last_memo: 'Checkout page',
    ...over,
  } as TeamRow;
}

/** A segment as the employer receives it: synced, screenshots without thumbnails. */
export function syncedSegment(over: SegmentOver = {}): Segment {
  const s = someSegment({ state: 'synced', ...over });
  return { ...s, screenshots: s.screenshots.map((i) => ({ ...i, thumb: '' })) } as Segment;
}

// Timesheet DTOs shaped like what app.TimesheetsAPI returns.
export const EXPORTS = '/home/grace/.local/share/workdiary/exports';
export const PRINCIPAL = '12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo';

/** The summary Verify and Export print for a valid bundle. */
export function timesheetSummary(week = '2026-W48'): string {
  return [
    `valid: "Website redesign", week ${week} (2026-11-23 to 2026-11-30)`,
    `contract ${CONTRACT_ID}`,
    'employer Grace Hopper (ZFC4-X4VF-MAQA-EFA6), contractor Ada Lovelace (Q2W3-E4R5-T6Y7-U8I9)',
    'tracked 12:40, billable 12:40, amount 443.33 USD',
    'signed by the employer; log checkpoint size 76, cosigned by both',
  ].join('\n');
}

export function someTimesheetResult(week = '2026-W48'): TimesheetResult {
  const name = `timesheet-${CONTRACT_ID.slice(0, 12)}-${week}`;
  return {
    files: {
      zip: `${EXPORTS}/${name}.zip`,
      pdf: `${EXPORTS}/${name}.pdf`,
      csv: `${EXPORTS}/${name}.csv`,
      sig: `${EXPORTS}/${name}.zip.sig`,
      allowed_signers: `${EXPORTS}/allowed_signers`,
      principal: PRINCIPAL,
      verify_command: `ssh-keygen -Y verify -f allowed_signers -I ${PRINCIPAL} -n workdiary-timesheet -s ${name}.zip.sig < ${name}.zip`,
    },
    summary: timesheetSummary(week),
    sheet: someTimesheet(week),
  } as TimesheetResult;
}

/** The signed timesheet behind timesheetSummary: 12:40 h recorded (0:40 by hand), all billable. */
export function someTimesheet(week = '2026-W48'): timesheet.Timesheet {
  return {
    version: 1,
    signed_by: 'employer',
    contract_id: CONTRACT_ID,
    title: 'Website redesign',
    week,
    week_start: '2026-11-23T00:00:00Z',
    week_end: '2026-11-30T00:00:00Z',
    contract_start: '2026-11-19T08:00:00Z',
    currency: 'USD',
    rate_minor: 3500,
    rate: '35.00',
    weekly_limit_hours: 40,
    manual_time_billable: true,
    employer: { name: 'Grace Hopper', public_key: '', fingerprint: 'ZFC4-X4VF-MAQA-EFA6', peer_id: '' },
    contractor: { name: 'Ada Lovelace', public_key: '', fingerprint: 'Q2W3-E4R5-T6Y7-U8I9', peer_id: '' },
    days: [],
    totals: {
      tracked_minutes: 760,
      manual_minutes: 40,
      over_limit_minutes: 0,
      manual_excluded_minutes: 0,
      outside_contract_minutes: 0,
      billable_minutes: 760,
      amount_minor: 44333,
      amount: '443.33',
    },
    entries: [],
    log_id: 'l',
    log_size: 76,
    log_root: 'r',
  } as unknown as timesheet.Timesheet;
}

/** What Verify returns for a valid bundle. */
export function someVerifyView(summary = timesheetSummary()): app.VerifyView {
  return { sheet: someTimesheet(), signer: 'Grace Hopper', checkpoint_size: 76, summary } as app.VerifyView;
}

/** someLogStatus is what Approve returns: the log after the approval. */
export function someLogStatus(fields: Partial<node.LogStatus> & { contract: string; seq: number }): node.LogStatus {
  return node.LogStatus.createFrom({ log_id: 'l', head: 'h', checkpoint: `workdiary\n${fields.seq}\nroot`, approved: 0, ...fields });
}

// Week DTOs shaped like what app.ContractsAPI.Weeks returns.
export type WeekOver = Partial<node.WeekView> & { week?: string; start?: string };

/** A contract week; closed and cosigned at log size 12 unless over says otherwise. */
export function someWeek(over: WeekOver = {}): node.WeekView {
  const start = over.start ?? '2026-11-23T00:00:00Z';
  const begin = new Date(start).getTime();
  const day = 86_400_000;
  return {
    week: '2026-W48',
    start,
    end: new Date(begin + 7 * day).toISOString(),
    zone: 'UTC',
    state: 'closed',
    deadline: new Date(begin + 8 * day).toISOString(),
    unapproved: 0,
    cosigned: true,
    closed_size: 12,
    closed_entries: 9,
    review_until: new Date(begin + 13 * day).toISOString(),
    reviewing: false,
    disputes: [],
    ...over,
  } as node.WeekView;
}

/** The ISO week and its Monday 00:00 UTC that hold d, as someWeek takes them. */
export function weekHolding(d: Date): { week: string; start: string } {
  const day = 86_400_000;
  const monday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - ((d.getUTCDay() + 6) % 7) * day);
  return { week: isoWeek(monday), start: monday.toISOString() };
}
