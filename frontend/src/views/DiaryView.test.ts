import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../wailsjs/go/app/ContractsAPI');
vi.mock('../../wailsjs/go/app/DiaryAPI');
vi.mock('../../wailsjs/go/app/ImagesAPI');
vi.mock('../../wailsjs/runtime/runtime', () => import('../testing/wails-runtime'));

import { List as Contracts, Weeks } from '../../wailsjs/go/app/ContractsAPI';
import { AddManual, Approve, Blur, Delete, List, SetMemo } from '../../wailsjs/go/app/DiaryAPI';
import { DataURL } from '../../wailsjs/go/app/ImagesAPI';
import { ContractsStore } from '../stores/contracts.svelte';
import { DiaryStore } from '../stores/diary.svelte';
import { WeeksStore } from '../stores/weeks.svelte';
import { CONTRACT_ID, someContract, someLogStatus, someSegment, someWeek, todayAt, weekHolding } from '../testing/fixtures';
import { rfc3339Local } from '../lib/diary';
import DiaryView from './DiaryView.svelte';

const a = someSegment({ start: todayAt(10, 0), active: 7 });
const b = someSegment({ start: todayAt(10, 10), state: 'approved', entry: 4, memo: 'Footer' });
const m = someSegment({ start: todayAt(14, 30), kind: 'manual', screenshots: [], apps: [], active: 0, over_limit: true });

function setup() {
  const store = new DiaryStore();
  const navigate = vi.fn();
  render(DiaryView, { store, contractsStore: new ContractsStore(), weeksStore: new WeeksStore(), navigate });
  return { store, navigate, user: userEvent.setup() };
}

const cell = (id: string) => screen.getAllByTestId('segment-cell').find((c) => c.dataset.segmentId === id)!;

beforeEach(() => {
  vi.resetAllMocks();
  vi.mocked(Contracts).mockResolvedValue([someContract()]);
  vi.mocked(List).mockResolvedValue([a, b, m]);
  vi.mocked(Weeks).mockResolvedValue([]);
  vi.mocked(DataURL).mockImplementation(async (hash) => `data:image/webp;base64,${hash}`);
});

describe('DiaryView', () => {
  it('keeps a helpful empty state for a day without time', async () => {
    vi.mocked(List).mockResolvedValue([]);
    const { user, navigate } = setup();

    expect(await screen.findByText(/No time on this day. Track time on the Tracker screen/)).toBeVisible();
    expect(screen.getByTestId('diary-day-total')).toHaveTextContent('0:00 h');
    await user.click(screen.getByTestId('diary-empty-action'));
    expect(navigate).toHaveBeenCalledWith('tracker');
  });

  it('shows hour rows of cells with thumbnail, meter, memo, app and state', async () => {
    setup();

    const first = await screen.findByRole('gridcell', { name: /10:00–10:10, recorded/ });
    expect(screen.getAllByTestId('diary-row').map((r) => r.dataset.hour)).toEqual(['10', '14']);
    expect(first).toHaveAttribute('data-state', 'recorded');
    expect(within(first).getByRole('img', { name: 'activity 7 of 10 minutes' })).toBeInTheDocument();
    expect(within(first).getByTestId('activity-meter').querySelectorAll('.active')).toHaveLength(7);
    expect(within(first).getByTestId('segment-badge')).toHaveTextContent('Recorded');
    expect(first).toHaveTextContent('Header layout');
    expect(first).toHaveTextContent('code');
    expect(await within(first).findByTestId('segment-thumb')).toHaveAttribute(
      'src',
      `data:image/webp;base64,${a.screenshots[0].thumb}`,
    );
    expect(within(cell(b.id)).getByTestId('segment-badge')).toHaveTextContent('Approved');
    const manual = cell(m.id);
    expect(within(manual).queryByTestId('segment-thumb-placeholder')).not.toBeInTheDocument();
    expect(screen.getAllByTestId('diary-row-total').map((t) => t.textContent)).toEqual(['20 min', '10 min']);
    expect(within(manual).getByTestId('segment-manual')).toHaveTextContent('Manual');
    expect(within(manual).getByTestId('segment-over-limit')).toHaveTextContent('Over limit');
    expect(screen.getByTestId('diary-day-total')).toHaveTextContent('0:30 h');
    expect(screen.getByTestId('diary-approved-total')).toHaveTextContent('0:10 h');
    expect(screen.getByTestId('diary-recorded-total')).toHaveTextContent('0:20 h');
    expect(screen.getByTestId('diary-week-total')).toHaveTextContent(/^\d+:\d\d h$/);
  });

  it('selects by click, Shift-click range and keyboard', async () => {
    const { user } = setup();
    await screen.findAllByTestId('segment-cell');
    expect(screen.queryByTestId('diary-toolbar')).not.toBeInTheDocument();

    await user.click(cell(a.id));
    expect(cell(a.id)).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByTestId('diary-selection-count')).toHaveTextContent('1 segment selected');

    await user.keyboard('{Shift>}');
    await user.click(cell(m.id));
    await user.keyboard('{/Shift}');
    expect(screen.getByTestId('diary-selection-count')).toHaveTextContent('3 segments selected');

    await user.click(screen.getByTestId('diary-clear'));
    cell(a.id).focus();
    await user.keyboard('{ArrowRight}');
    expect(cell(b.id)).toHaveFocus();
    await user.keyboard('{ArrowDown}');
    expect(cell(m.id)).toHaveFocus();
    await user.keyboard(' ');
    expect(cell(m.id)).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{Enter}');
    expect(cell(m.id)).toHaveAttribute('aria-selected', 'false');
  });

  it('deletes after a confirmation that says what happens to images and approved time', async () => {
    vi.mocked(Delete).mockResolvedValue({ changed: [a.id, b.id], voided: [5] });
    const { user } = setup();
    await user.click(await screen.findByRole('gridcell', { name: /10:00–10:10/ }));
    await user.click(cell(b.id));

    await user.click(screen.getByTestId('diary-delete'));
    const dialog = screen.getByRole('dialog', { name: 'Delete 10:00–10:20 (20 min)?' });
    expect(within(dialog).getByTestId('diary-delete-range')).toHaveTextContent('2 segments, 10:00–10:20 (20 min).');
    expect(dialog).toHaveTextContent('deleted from disk');
    expect(within(dialog).getByTestId('diary-delete-approved')).toHaveTextContent(/not rewritten: a new log entry voids it/);
    await user.click(screen.getByTestId('diary-delete-confirm'));

    expect(Delete).toHaveBeenCalledWith([a.id, b.id]);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(await screen.findByTestId('diary-status')).toHaveTextContent('Deleted 2 segments; approved time voided by log entry 5.');
  });

  it('blurs, edits the memo and approves the selection', async () => {
    vi.mocked(Blur).mockResolvedValue({ changed: [a.id] });
    vi.mocked(SetMemo).mockResolvedValue({ changed: [a.id] });
    vi.mocked(Approve).mockResolvedValue(someLogStatus({ contract: CONTRACT_ID, seq: 7, approved: 1 }));
    const { user } = setup();
    const select = async () => user.click(await screen.findByRole('gridcell', { name: /10:00–10:10/ }));

    await select();
    await user.click(screen.getByTestId('diary-blur'));
    expect(Blur).toHaveBeenCalledWith([a.id], '');

    await select();
    await user.click(screen.getByTestId('diary-memo'));
    const input = screen.getByTestId('diary-memo-input');
    expect(input).toHaveFocus();
    expect(input).toHaveValue('Header layout');
    await user.clear(input);
    await user.type(input, 'Hero image');
    await user.click(screen.getByTestId('diary-memo-save'));
    expect(SetMemo).toHaveBeenCalledWith([a.id], 'Hero image');
    expect(screen.queryByTestId('diary-memo-dialog')).not.toBeInTheDocument();

    await select();
    expect(screen.getByTestId('diary-selection-range')).toHaveTextContent('10:00–10:10 (10 min)');
    await user.click(screen.getByTestId('diary-approve'));
    expect(screen.getByTestId('diary-pending-range')).toHaveTextContent('10:00–10:10 (10 min)');
    expect(screen.getByTestId('diary-undo')).toHaveFocus();
    expect(cell(a.id)).toHaveAccessibleName(/^10:00–10:10, recorded, approving/);
    expect(Approve).not.toHaveBeenCalled();
    await user.click(screen.getByTestId('diary-approve-now'));
    expect(Approve).toHaveBeenCalledWith(CONTRACT_ID, [a.id]);
    expect(await screen.findByTestId('diary-status')).toHaveTextContent('Approved 1 segment. It is signed and goes to your employer at the next sync.');
  });

  it("shows Go's refusal", async () => {
    vi.mocked(Blur).mockRejectedValue('this contract does not allow blurring screenshots');
    const { user } = setup();
    await user.click(await screen.findByRole('gridcell', { name: /10:00–10:10/ }));

    await user.click(screen.getByTestId('diary-blur'));

    expect(await screen.findByTestId('error')).toHaveTextContent('This contract does not allow blurring screenshots');
  });

  it('opens the viewer with the full image and per-minute activity; Esc closes it', async () => {
    const { user } = setup();
    await user.dblClick(await screen.findByRole('gridcell', { name: /10:00–10:10/ }));

    const viewer = screen.getByTestId('segment-viewer');
    expect(viewer).toHaveAttribute('role', 'dialog');
    expect(await within(viewer).findByTestId('viewer-image')).toHaveAttribute(
      'src',
      `data:image/webp;base64,${a.screenshots[0].hash}`,
    );
    expect(within(viewer).getByTestId('viewer-minutes').querySelectorAll('tbody tr')).toHaveLength(10);
    expect(within(viewer).getByTestId('viewer-apps')).toHaveTextContent('code');
    expect(within(viewer).getByTestId('viewer-apps')).toHaveTextContent('7:00');

    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('segment-viewer')).not.toBeInTheDocument();

    cell(b.id).focus();
    await user.keyboard('{Alt>}{Enter}{/Alt}');
    expect(screen.getByTestId('segment-viewer')).toHaveTextContent('Log entry 4');
  });

  it('offers manual time only where this person works on a running contract', async () => {
    vi.mocked(Contracts).mockResolvedValue([
      someContract({ role: 'employer' }),
      someContract({ id: 'c'.repeat(64), role: 'contractor', state: 'ended' }),
    ]);
    setup();
    await screen.findAllByTestId('segment-cell');

    expect(screen.queryByTestId('diary-add-manual')).not.toBeInTheDocument();
  });

  it('adds manual time on the shown day and keeps the dialog open with the reason when refused', async () => {
    vi.mocked(AddManual).mockRejectedValueOnce('this contract does not allow manual time');
    vi.mocked(AddManual).mockResolvedValueOnce({ changed: ['x'] });
    const { user } = setup();
    await screen.findAllByTestId('segment-cell');

    await user.click(screen.getByTestId('diary-add-manual'));
    const dialog = screen.getByRole('dialog', { name: 'Add manual time' });
    expect(within(dialog).getByLabelText('Contract')).toHaveValue(CONTRACT_ID);
    const from = within(dialog).getByLabelText('From');
    expect(from).toHaveFocus();
    // Only 10-minute steps are offered; an end before the start is not.
    expect([...within(from).getAllByRole('option')].map((o) => o.textContent)).toContain('08:50');
    expect(within(from).queryByRole('option', { name: '08:05' })).not.toBeInTheDocument();
    await user.selectOptions(within(dialog).getByLabelText('To'), '08:00');
    await user.selectOptions(from, '08:00');
    expect(within(dialog).getByLabelText('To')).toHaveValue('08:10');
    expect(within(within(dialog).getByLabelText('To')).getByRole('option', { name: '07:50' })).toBeDisabled();
    await user.selectOptions(within(dialog).getByLabelText('To'), '08:30');
    await user.type(within(dialog).getByLabelText('Memo'), 'Call with Grace');
    await user.click(screen.getByTestId('manual-save'));

    expect(AddManual).toHaveBeenCalledWith(CONTRACT_ID, rfc3339Local(todayAt(8, 0)), rfc3339Local(todayAt(8, 30)), 'Call with Grace', '');
    expect(within(dialog).getByTestId('error')).toHaveTextContent('This contract does not allow manual time');

    await user.click(screen.getByTestId('manual-save'));
    expect(screen.queryByTestId('manual-dialog')).not.toBeInTheDocument();
    expect(screen.getByTestId('diary-status')).toHaveTextContent('Added 1 segment of manual time.');
  });

  it('reads a day of a closed week as closed: no approving or editing, a line why and the way to today', async () => {
    vi.mocked(List).mockResolvedValue([a, b]);
    // Today's week and the weeks on either side closed, whatever zone the test runs in.
    const day = 7 * 86_400_000;
    const here = weekHolding(new Date());
    const around = [-1, 0, 1].map((i) => {
      const start = new Date(new Date(here.start).getTime() + i * day);
      return someWeek({ ...weekHolding(start), closed_size: 9 });
    });
    vi.mocked(Weeks).mockResolvedValue(around.reverse());
    const { user, store } = setup();

    const note = await screen.findByTestId('diary-closed');
    expect(note).toHaveTextContent(`Week ${here.week} is closed: both parties signed its close at log size 9`);
    expect(note).toHaveTextContent(`Missing time goes in the current week as manual time that corrects ${here.week}.`);
    expect(screen.queryByTestId('diary-approve-day')).not.toBeInTheDocument();
    expect(screen.queryByTestId('diary-add-manual')).not.toBeInTheDocument();
    await user.click(cell(a.id));
    expect(screen.queryByTestId('diary-toolbar')).not.toBeInTheDocument();
    expect(store.selection.size).toBe(0);

    // With a contract chosen, a closed day says so even without time on it.
    store.setContract(CONTRACT_ID);
    store.step(-7);
    await waitFor(() => expect(screen.getByTestId('diary-closed')).toHaveTextContent(`Week ${around[1].week} is closed`));
    await user.click(screen.getByTestId('diary-closed-today'));
    expect(store.isToday).toBe(true);
  });

  it('lets manual time name the closed week it corrects', { timeout: 15_000 }, async () => {
    vi.mocked(AddManual).mockResolvedValue({ changed: ['x'] });
    vi.mocked(Weeks).mockResolvedValue([someWeek({ week: '2020-W10', start: '2020-03-02T00:00:00Z' })]);
    const { user } = setup();
    await screen.findAllByTestId('segment-cell');

    await user.click(screen.getByTestId('diary-add-manual'));
    const dialog = screen.getByRole('dialog', { name: 'Add manual time' });
    const picker = await within(dialog).findByLabelText('Corrects a closed week');
    expect(picker).toHaveValue('');
    expect([...within(picker).getAllByRole('option')].map((o) => o.textContent)).toEqual([
      'No: time of this week',
      '2020-W10 · 2 Mar – 8 Mar 2020',
    ]);
    await user.selectOptions(within(dialog).getByLabelText('From'), '08:00');
    await user.selectOptions(within(dialog).getByLabelText('To'), '08:10');
    await user.type(within(dialog).getByLabelText('Memo'), 'Deploy left over');
    await user.selectOptions(picker, '2020-W10');
    await user.click(screen.getByTestId('manual-save'));

    expect(AddManual).toHaveBeenCalledWith(CONTRACT_ID, rfc3339Local(todayAt(8, 0)), rfc3339Local(todayAt(8, 10)), 'Deploy left over', '2020-W10');
    expect(screen.getByTestId('diary-status')).toHaveTextContent('Added 1 segment of manual time, correcting 2020-W10.');
  });

  it('moves between days', async () => {
    const { user, store } = setup();
    await screen.findAllByTestId('segment-cell');
    expect(screen.getByTestId('diary-today')).toBeDisabled();
    expect(screen.getByTestId('diary-next')).toBeDisabled();

    await user.click(screen.getByTestId('diary-prev'));

    expect(store.isToday).toBe(false);
    expect(screen.getByTestId('diary-date')).toHaveTextContent(String(store.day.getDate()));
    await user.click(screen.getByTestId('diary-today'));
    expect(store.isToday).toBe(true);
  });
});
