import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../wailsjs/go/app/ContractsAPI');
vi.mock('../../wailsjs/go/app/TrackerAPI');
vi.mock('../../wailsjs/go/app/ImagesAPI');
vi.mock('../../wailsjs/runtime/runtime', () => import('../testing/wails-runtime'));

import { List } from '../../wailsjs/go/app/ContractsAPI';
import { DataURL } from '../../wailsjs/go/app/ImagesAPI';
import { Start, Status, Stop } from '../../wailsjs/go/app/TrackerAPI';
import { TRACKER_LIMIT, TRACKER_SCREENSHOT } from '../lib/events';
import { ContractsStore } from '../stores/contracts.svelte';
import { TrackerStore } from '../stores/tracker.svelte';
import { CONTRACT_ID, runningStatus, someContract, someStatus } from '../testing/fixtures';
import TrackerView from './TrackerView.svelte';

const status = vi.mocked(Status);

function setup() {
  const store = new TrackerStore();
  const contractsStore = new ContractsStore();
  const navigate = vi.fn();
  render(TrackerView, { store, contractsStore, navigate });
  return { store, navigate, user: userEvent.setup() };
}

beforeEach(() => {
  vi.resetAllMocks();
  vi.mocked(List).mockResolvedValue([
    someContract(),
    someContract({ id: 'e'.repeat(64), role: 'employer', title: 'Hiring' }),
  ]);
  status.mockImplementation(async (id) => someStatus({ contract: id, weekly_limit_hours: 40, week_minutes: 120 }));
});

describe('TrackerView', () => {
  it('keeps the empty state without a contract to track', async () => {
    vi.mocked(List).mockResolvedValue([someContract({ role: 'employer' })]);
    const { user, navigate } = setup();

    expect(await screen.findByText('Accept a contract to start tracking time.')).toBeVisible();
    await user.click(screen.getByTestId('tracker-empty-action'));
    expect(navigate).toHaveBeenCalledWith('contracts');
  });

  it('offers only contractor contracts and shows the hours', async () => {
    setup();

    const picker = await screen.findByTestId('tracker-contract');
    expect(screen.getByLabelText('Contract')).toBe(picker);
    expect(Array.from((picker as HTMLSelectElement).options).map((o) => o.value)).toEqual([CONTRACT_ID]);
    expect(screen.getByTestId('tracker-state')).toHaveTextContent('Not tracking');
    await vi.waitFor(() => expect(screen.getByTestId('tracker-week')).toHaveTextContent('2:00 h of 40 h'));
    expect(screen.getByTestId('tracker-today')).toHaveTextContent('0:00 h');
  });

  it('says what a Wayland session will not record, and what to do', async () => {
    const lines = [
      'Wayland session: screenshots cannot be taken; segments are marked "screenshots unavailable in this session"',
      'To record everything, log in to an X11 session',
    ];
    status.mockImplementation(async (id) =>
      someStatus({ contract: id, session: { kind: 'wayland' }, session_lines: lines, session_limited: true } as never),
    );
    setup();

    const note = await screen.findByTestId('tracker-session');
    expect(note).toHaveTextContent('screenshots cannot be taken');
    expect(note).toHaveTextContent('log in to an X11 session');
  });

  it('says nothing about an X11 session', async () => {
    setup();
    await screen.findByTestId('tracker-contract');
    expect(screen.queryByTestId('tracker-session')).toBeNull();
  });

  it('requires a memo before starting', async () => {
    const { user } = setup();

    await user.click(await screen.findByTestId('tracker-start'));

    expect(screen.getByTestId('tracker-memo-error')).toHaveTextContent(/memo/);
    expect(screen.getByLabelText('Memo')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Memo')).toHaveFocus();
    expect(Start).not.toHaveBeenCalled();

    await user.type(screen.getByTestId('tracker-memo'), 'x');
    expect(screen.queryByTestId('tracker-memo-error')).not.toBeInTheDocument();
  });

  it('offers the last memo again after a relaunch, and what is typed wins', async () => {
    status.mockImplementation(async (id) => someStatus({ contract: id, last_memo: 'Parser tests' }));
    const { user } = setup();

    const memo = await screen.findByTestId('tracker-memo');
    await vi.waitFor(() => expect(memo).toHaveValue('Parser tests'));
    await user.clear(memo);
    await user.type(memo, 'Release notes');
    expect(memo).toHaveValue('Release notes');
  });

  it('shows the whole contract name', async () => {
    vi.mocked(List).mockResolvedValue([someContract({ title: 'A contract whose title is long enough to be cut in a narrow field' })]);
    setup();

    const picker = await screen.findByTestId('tracker-contract');
    await vi.waitFor(() => expect(picker).toHaveAttribute('title', 'A contract whose title is long enough to be cut in a narrow field — Grace Hopper'));
  });

  it('starts and stops, showing the session', async () => {
    vi.mocked(Start).mockResolvedValue(runningStatus({ last_thumb: 'h1' }));
    vi.mocked(DataURL).mockResolvedValue('data:image/webp;base64,T');
    vi.mocked(Stop).mockResolvedValue(someStatus({ contract: CONTRACT_ID }));
    const { user } = setup();

    await user.type(await screen.findByTestId('tracker-memo'), 'Header layout{Enter}');

    expect(Start).toHaveBeenCalledWith(CONTRACT_ID, 'Header layout');
    expect(await screen.findByTestId('tracker-state')).toHaveTextContent('Tracking since 10:42');
    expect(screen.getByTestId('tracker-segment')).toHaveAttribute('aria-valuenow', '4');
    const cells = [...screen.getByTestId('tracker-segment').querySelectorAll('.cell')];
    // Filled at their minutes, not from the left; the minute without input apart.
    expect(cells.map((c) => c.classList[1])).toEqual(['none', 'none', 'active', 'active', 'idle', 'active', 'none', 'none', 'none', 'none']);
    expect(screen.getByTestId('tracker-segment-idle')).toHaveTextContent('1 without input');
    expect(screen.getByTestId('tracker-elapsed')).toHaveTextContent(/^\d+:\d\d:\d\d$/);
    expect(screen.getByTestId('tracker-today')).toHaveTextContent('1:20 h');
    expect(screen.getByTestId('tracker-week')).toHaveTextContent('12:40 h of 40 h');
    expect(await screen.findByTestId('tracker-thumb')).toHaveAttribute('src', 'data:image/webp;base64,T');
    expect(screen.getByTestId('tracker-contract')).toBeDisabled();

    await user.click(screen.getByTestId('tracker-stop'));
    expect(Stop).toHaveBeenCalled();
    expect(await screen.findByTestId('tracker-start')).toBeInTheDocument();
    expect(screen.getByTestId('tracker-state')).toHaveTextContent('Not tracking');
  });

  it("shows Go's reason when Start is refused", async () => {
    vi.mocked(Start).mockRejectedValue('no display for activity counting');
    const { user } = setup();

    await user.type(await screen.findByTestId('tracker-memo'), 'Header');
    await user.click(screen.getByTestId('tracker-start'));

    expect(await screen.findByTestId('error')).toHaveTextContent('No display for activity counting.');
  });

  it('warns near the weekly limit', async () => {
    status.mockResolvedValue(runningStatus({ week_minutes: 37 * 60 }));
    setup();

    expect(await screen.findByText('Close to the weekly limit')).toBeInTheDocument();
  });

  it('shows the screenshot notice and the limit banner', async () => {
    status.mockResolvedValue(runningStatus());
    const { store, user } = setup();
    await screen.findByTestId('tracker-stop');
    const at = new Date();
    at.setHours(10, 47);

    store.handle(TRACKER_SCREENSHOT, { kind: 'screenshot', at: at.toISOString(), thumb: 'data:image/jpeg;base64,S' });
    store.handle(TRACKER_LIMIT, { kind: 'limit-warning', message: '36:00 h of the 40:00 h weekly limit tracked' });

    const notice = await screen.findByTestId('tracker-notice');
    expect(notice).toHaveTextContent('Screenshot taken at 10:47');
    expect(notice).toHaveAttribute('role', 'status');
    expect(screen.getByTestId('tracker-thumb')).toHaveAttribute('src', 'data:image/jpeg;base64,S');
    expect(screen.getByTestId('tracker-message')).toHaveTextContent('36:00 h of the 40:00 h weekly limit');
    await user.click(screen.getByRole('button', { name: 'Dismiss message' }));
    expect(screen.queryByTestId('tracker-message')).not.toBeInTheDocument();
  });
});
