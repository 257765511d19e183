import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../wailsjs/go/app/TeamAPI');
vi.mock('../../wailsjs/go/app/ImagesAPI');
vi.mock('../../wailsjs/go/app/ContractsAPI');
vi.mock('../../wailsjs/runtime/runtime', () => import('../testing/wails-runtime'));

import { Diary, List, SyncNow } from '../../wailsjs/go/app/TeamAPI';
import { Weeks } from '../../wailsjs/go/app/ContractsAPI';
import { DataURL } from '../../wailsjs/go/app/ImagesAPI';
import type { node } from '../../wailsjs/go/models';
import { addDays, rfc3339, startOfDay } from '../lib/diary';
import { TeamStore } from '../stores/team.svelte';
import { CONTRACT_ID, OTHER_CONTRACT_ID, someImage, someTeamRow, someWeek, syncedSegment, todayAt, weekHolding } from '../testing/fixtures';
import TeamView from './TeamView.svelte';

const ada = someTeamRow();
const grace = someTeamRow({
  contract: OTHER_CONTRACT_ID,
  title: 'Logo',
  contractor: 'Grace Hopper',
  today_minutes: 0,
  week_minutes: 36 * 60,
  weekly_limit_hours: 40,
  activity_percent: 0,
  last_sync: '0001-01-01T00:00:00Z',
  online: false,
  sync_error: 'reach the contractor: no addresses',
  last_work: new Date(Date.now() - 3 * 3_600_000).toISOString(),
  last_memo: 'Logo sketches',
});
const offline = someTeamRow({
  contract: 'c'.repeat(64),
  title: 'Docs',
  contractor: 'Linus',
  online: false,
  last_work: '',
  last_memo: '',
  sync_error: 'the contractor is not reachable right now (offline, or no address works); the next sync tries again',
  unreachable: true,
});
const seg = syncedSegment({ start: todayAt(9, 0), active: 6 });
const manual = syncedSegment({ start: todayAt(9, 10), kind: 'manual', screenshots: [], apps: [] });

function setup() {
  const store = new TeamStore();
  const navigate = vi.fn();
  render(TeamView, { store, navigate });
  return { store, navigate, user: userEvent.setup() };
}

const row = (id: string) => screen.getAllByTestId('team-row').find((r) => r.dataset.contractId === id)!;

beforeEach(() => {
  vi.resetAllMocks();
  vi.mocked(List).mockResolvedValue([ada, grace]);
  vi.mocked(Diary).mockResolvedValue([seg, manual]);
  vi.mocked(DataURL).mockImplementation(async (hash) => `data:image/jpeg;base64,${hash}`);
  vi.mocked(Weeks).mockResolvedValue([]);
});

describe('TeamView', () => {
  it('keeps the empty state when nobody has accepted an offer', async () => {
    vi.mocked(List).mockResolvedValue([]);
    const { user, navigate } = setup();

    expect(await screen.findByText('Contractors who accept your offers appear here with their hours this week.')).toBeVisible();
    expect(screen.queryByTestId('team-sync')).not.toBeInTheDocument();
    await user.click(screen.getByTestId('team-empty-action'));
    expect(navigate).toHaveBeenCalledWith('contracts');
  });

  it("shows each contractor's hours, limit, activity, last sync and online state", async () => {
    setup();

    const a = within(await screen.findByRole('row', { name: /Ada Lovelace/ }));
    expect(row(CONTRACT_ID)).toHaveTextContent('Website redesign');
    expect(a.getByTestId('team-fingerprint')).toHaveTextContent('ZFC4-X4VF-MAQA-EFA6');
    expect(a.getByTestId('team-today')).toHaveTextContent('1:20 h');
    expect(a.getByTestId('team-week')).toHaveTextContent('12:40 h of 40 h');
    expect(a.getByTestId('team-week')).toHaveAttribute('data-level', 'normal');
    expect(a.getByRole('img', { name: '32 % of the weekly limit' })).toBeInTheDocument();
    expect(a.getByTestId('team-activity')).toHaveTextContent('72 %');
    expect(a.getByTestId('team-last-sync')).toHaveTextContent('2 min ago');
    expect(a.getByTestId('team-online')).toHaveTextContent('online');
    expect(a.getByTestId('team-online')).toHaveAttribute('data-online', 'true');
    expect(a.queryByTestId('team-sync-error')).not.toBeInTheDocument();
    expect(a.getByTestId('team-amount')).toHaveTextContent('443.33 USD');
    expect(a.getByTestId('team-work')).toHaveTextContent('Working now');
    expect(a.getByTestId('team-memo')).toHaveTextContent('Checkout page');

    const g = within(row(OTHER_CONTRACT_ID));
    expect(g.getByTestId('team-week')).toHaveTextContent('36:00 h of 40 h');
    expect(g.getByTestId('team-week')).toHaveTextContent('Near the limit');
    expect(g.getByTestId('team-week')).toHaveAttribute('data-level', 'warning');
    expect(g.getByTestId('team-activity')).toHaveTextContent('0 %');
    expect(g.getByTestId('team-last-sync')).toHaveTextContent('never');
    expect(g.getByTestId('team-online')).toHaveTextContent('offline');
    expect(g.getByTestId('team-sync-error')).toHaveTextContent('Last sync failed: Reach the contractor: no addresses');
    expect(g.getByTestId('team-sync-error')).toHaveAttribute('data-tone', 'failed');
    expect(g.getByTestId('team-work')).toHaveTextContent(/^Last worked at \d\d:\d\d$/);
    expect(g.getByTestId('team-memo')).toHaveTextContent('Logo sketches');
  });

  it('says calmly that an offline contractor is awaited', async () => {
    vi.mocked(List).mockResolvedValue([offline]);
    setup();

    const r = within(await screen.findByTestId('team-row'));
    expect(r.getByTestId('team-sync-error')).toHaveTextContent('Waiting for your contractor to come online');
    expect(r.getByTestId('team-sync-error')).toHaveAttribute('data-tone', 'calm');
    expect(r.getByTestId('team-sync-error')).not.toHaveClass('error');
    expect(r.queryByTestId('team-work')).not.toBeInTheDocument();
  });

  it('says how each contractor is reached, and what to do when only a public relay reaches one', async () => {
    vi.mocked(List).mockResolvedValue([
      someTeamRow({ path: 'hole-punched', last_path: 'direct' }),
      someTeamRow({ contract: OTHER_CONTRACT_ID, contractor: 'Grace Hopper', online: false, path: '', last_path: 'file' }),
      someTeamRow({ contract: 'c'.repeat(64), contractor: 'Alan Turing', path: 'relayed-limited' }),
    ]);
    setup();

    await screen.findAllByTestId('team-row');
    const [first, second, third] = [CONTRACT_ID, OTHER_CONTRACT_ID, 'c'.repeat(64)].map((id) => within(row(id)));
    expect(first.getByTestId('team-path')).toHaveTextContent('Reached directly, through both routers');
    expect(first.queryByTestId('team-path-advice')).not.toBeInTheDocument();
    expect(second.getByTestId('team-path')).toHaveTextContent('Last synced by log file');
    expect(third.getByTestId('team-path')).toHaveTextContent('Reached only through a public relay');
    expect(third.getByTestId('team-path-advice')).toHaveTextContent('workdiary serve --relay');
  });

  it('marks offers nobody accepted yet and does not open them', async () => {
    vi.mocked(List).mockResolvedValue([someTeamRow({ contractor: '', fingerprint: '', state: 'offered', week_minutes: 0 })]);
    const { user } = setup();

    const r = await screen.findByTestId('team-row');
    expect(r).toHaveTextContent('Not accepted yet');
    expect(r).toHaveTextContent('Offered, waiting for acceptance');
    expect(within(r).queryByTestId('team-open')).not.toBeInTheDocument();
    expect(within(r).getByTestId('team-week')).toHaveTextContent('0:00 h of 40 h');
    expect(within(r).getByTestId('team-activity')).toHaveTextContent('—');
    expect(within(r).getByTestId('team-last-sync')).toHaveTextContent('2 min ago');
    await user.click(r);
    expect(screen.queryByTestId('team-diary')).not.toBeInTheDocument();
  });

  it('syncs now with a progress line, then what came of each contract', async () => {
    let done!: (v: node.SyncResult[]) => void;
    vi.mocked(SyncNow).mockReturnValue(new Promise((r) => (done = r)));
    const { user } = setup();

    await user.click(await screen.findByTestId('team-sync'));
    expect(screen.getByTestId('team-sync')).toBeDisabled();
    expect(screen.getByTestId('team-sync-status')).toHaveTextContent('Syncing with your contractors…');
    expect(screen.getByRole('progressbar', { name: 'Syncing with your contractors' })).toBeInTheDocument();

    vi.mocked(List).mockResolvedValue([someTeamRow({ entries: 80 }), grace]);
    done([
      { contract: CONTRACT_ID, title: 'Website redesign', role: 'employer', seq: 80, total: 0 },
      { contract: OTHER_CONTRACT_ID, title: 'Logo', role: 'employer', seq: 0, total: 0, error: 'reach the contractor: no addresses' },
    ] as node.SyncResult[]);

    const status = screen.getByTestId('team-sync-status');
    await vi.waitFor(() => expect(status).toHaveTextContent(/Synced 2 contracts at \d\d:\d\d; 1 failed\./));
    expect(status).toHaveTextContent('Website redesign: 4 new, 80 entries in all.');
    expect(status).toHaveTextContent('Logo: Reach the contractor: no addresses');
    expect(screen.getByTestId('team-sync')).toBeEnabled();
    expect(List).toHaveBeenCalledTimes(2);
  });

  it("opens a contractor's diary read-only, moves between days and goes back", async () => {
    const { user } = setup();

    await user.click(within(await screen.findByRole('row', { name: /Ada Lovelace/ })).getByTestId('team-open'));

    const panel = screen.getByTestId('team-diary');
    expect(panel).toHaveTextContent('Ada Lovelace · Website redesign');
    expect(screen.queryByTestId('team-row')).not.toBeInTheDocument();
    const cells = await within(panel).findAllByTestId('segment-cell');
    expect(cells).toHaveLength(2);
    expect(screen.getByTestId('diary-grid')).toHaveAttribute('aria-readonly', 'true');
    expect(screen.getByTestId('diary-grid')).not.toHaveAttribute('aria-multiselectable');
    expect(cells[0]).not.toHaveAttribute('aria-selected');
    expect(cells[0]).toHaveAttribute('data-state', 'synced');
    expect(within(cells[0]).getByTestId('segment-badge')).toHaveTextContent('Delivered');
    // Synced screenshots have no thumbnail: the cell shows the full image, scaled down.
    expect(await within(cells[0]).findByTestId('segment-thumb')).toHaveAttribute('src', `data:image/jpeg;base64,${seg.screenshots[0].hash}`);
    expect(screen.getByTestId('team-diary-day-total')).toHaveTextContent('0:20 h');
    expect(screen.getByTestId('team-diary-week-total')).toHaveTextContent('12:40 h of 40 h');
    expect(screen.getByTestId('team-diary-amount')).toHaveTextContent('443.33 USD');
    expect(screen.getByTestId('team-diary-activity')).toHaveTextContent('72 %');
    expect(screen.queryByTestId('diary-toolbar')).not.toBeInTheDocument();
    expect(screen.queryByTestId('diary-approve-day')).not.toBeInTheDocument();

    const today = startOfDay(new Date());
    expect(screen.getByTestId('team-diary-next')).toBeDisabled();
    vi.mocked(Diary).mockResolvedValue([]);
    await user.click(screen.getByTestId('team-diary-prev'));
    expect(Diary).toHaveBeenLastCalledWith(CONTRACT_ID, rfc3339(addDays(today, -1)), rfc3339(today));
    expect(screen.getByTestId('team-diary-date')).toHaveTextContent(String(addDays(today, -1).getDate()));
    expect(await screen.findByTestId('team-diary-empty')).toHaveTextContent('No synced time on this day.');
    await user.click(screen.getByTestId('team-diary-next'));
    expect(screen.getByTestId('team-diary-next')).toBeDisabled();

    await user.click(screen.getByTestId('team-back'));
    expect(screen.queryByTestId('team-diary')).not.toBeInTheDocument();
    expect(screen.getAllByTestId('team-row')).toHaveLength(2);
  });

  it('says a day of a closed week is closed, and names the week a correction makes up for', async () => {
    // Today's week and those on either side closed, whatever zone the test runs in.
    const here = weekHolding(new Date());
    const around = [1, 0, -1].map((i) => someWeek(weekHolding(new Date(new Date(here.start).getTime() + i * 7 * 86_400_000))));
    vi.mocked(Weeks).mockResolvedValue(around);
    vi.mocked(Diary).mockResolvedValue([seg, syncedSegment({ start: todayAt(9, 10), kind: 'manual', screenshots: [], apps: [], corrects: '2026-W40' })]);
    const { user } = setup();

    await user.click(within(await screen.findByRole('row', { name: /Ada Lovelace/ })).getByTestId('team-open'));

    const note = await screen.findByTestId('team-diary-closed');
    expect(Weeks).toHaveBeenCalledWith(CONTRACT_ID);
    expect(note).toHaveTextContent(`Week ${here.week} is closed: both parties signed its close at log size 12, so its time no longer changes.`);
    expect(screen.queryByTestId('team-diary-closed-today')).not.toBeInTheDocument();
    expect(await screen.findByTestId('segment-corrects')).toHaveTextContent('Corrects 2026-W40');
  });

  it('opens with Enter, and a click on a segment shows the viewer without curation', async () => {
    vi.mocked(Diary).mockResolvedValue([
      syncedSegment({ start: todayAt(9, 0), active: 6, screenshots: [someImage({ hash: 'full1', thumb: '', taken_at: todayAt(9, 4).toISOString() })] }),
    ]);
    const { user } = setup();
    within(await screen.findByRole('row', { name: /Ada Lovelace/ })).getByTestId('team-open').focus();
    await user.keyboard('{Enter}');

    await user.click(await screen.findByTestId('segment-cell'));

    const viewer = screen.getByTestId('segment-viewer');
    expect(await within(viewer).findByTestId('viewer-image')).toHaveAttribute('src', 'data:image/jpeg;base64,full1');
    expect(within(viewer).getByTestId('viewer-caption')).toHaveTextContent('Screenshot 1 of 1, taken at 09:04');
    expect(within(viewer).getByTestId('viewer-minutes').querySelectorAll('tbody tr.active')).toHaveLength(6);
    expect(within(viewer).queryByTestId('viewer-blur')).not.toBeInTheDocument();
    expect(vi.mocked(DataURL).mock.calls.filter(([h]) => h === 'full1')).toHaveLength(1);

    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('segment-viewer')).not.toBeInTheDocument();
    screen.getByTestId('segment-cell').focus();
    await user.keyboard(' ');
    expect(screen.getByTestId('segment-viewer')).toBeInTheDocument();
  });

  it('reports a failed read and retries', async () => {
    vi.mocked(List).mockRejectedValueOnce('open data folder: permission denied');
    const { user } = setup();

    expect(await screen.findByTestId('error')).toHaveTextContent('Open data folder: permission denied');
    await user.click(screen.getByTestId('team-retry'));
    expect(await screen.findAllByTestId('team-row')).toHaveLength(2);
  });
});
