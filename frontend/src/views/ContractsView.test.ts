import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../wailsjs/go/app/ContractsAPI');
vi.mock('../../wailsjs/go/app/TrackerAPI');
vi.mock('../../wailsjs/go/app/ImagesAPI');
vi.mock('../../wailsjs/runtime/runtime', () => import('../testing/wails-runtime'));

import {
  Accept,
  ExportLog,
  ImportLog,
  List,
  Offer,
  Pause,
  Preview,
  Show,
  SyncNow,
  SyncStates,
} from '../../wailsjs/go/app/ContractsAPI';
import type { app } from '../../wailsjs/go/models';
import { Status } from '../../wailsjs/go/app/TrackerAPI';
import { ContractsStore } from '../stores/contracts.svelte';
import { setDisplayZone } from '../lib/zone.svelte';
import { TrackerStore } from '../stores/tracker.svelte';
import {
  CONSENT,
  CONTRACT_ID,
  OTHER_CONTRACT_ID,
  someContract,
  somePreview,
  someStatus,
  someSyncResult,
  someSyncState,
} from '../testing/fixtures';
import ContractsView from './ContractsView.svelte';

const list = vi.mocked(List);

function setup() {
  const store = new ContractsStore();
  const trackerStore = new TrackerStore();
  const navigate = vi.fn();
  render(ContractsView, { store, trackerStore, navigate });
  return { store, trackerStore, navigate, user: userEvent.setup() };
}

beforeEach(() => {
  vi.resetAllMocks();
  list.mockResolvedValue([]);
  vi.mocked(Status).mockResolvedValue(someStatus());
});

describe('ContractsView list', () => {
  it('keeps the empty state with both actions', async () => {
    setup();
    expect(await screen.findByText(/No contracts yet/)).toBeVisible();
    expect(screen.getByTestId('offer-new')).toBeInTheDocument();
    expect(screen.getByTestId('invite-open')).toBeInTheDocument();
  });

  it('shows each contract with its rate, limit and state in words', async () => {
    list.mockResolvedValue([
      someContract(),
      someContract({ id: 'b'.repeat(64), role: 'employer', counterpart: '', state: 'offered', weekly_limit_hours: 0 }),
    ]);
    setup();

    const rows = await screen.findAllByTestId('contract-row');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveAttribute('data-contract-id', CONTRACT_ID);
    const first = within(rows[0]);
    expect(first.getByText('Website redesign')).toBeInTheDocument();
    expect(first.getByText('You are the contractor')).toBeInTheDocument();
    expect(first.getByText('Grace Hopper')).toBeInTheDocument();
    expect(first.getByText('35.00 USD/h')).toHaveClass('num');
    expect(first.getByText('40 h/week')).toBeInTheDocument();
    expect(first.getByText('Active')).toBeInTheDocument();
    expect(within(rows[1]).getByText('No limit')).toBeInTheDocument();
    expect(within(rows[1]).getByText(/Offered, waiting/)).toBeInTheDocument();
  });
});

describe('ContractsView log file', () => {
  const view = (over: Partial<app.LogFileView> = {}) =>
    ({
      result: { contract: CONTRACT_ID, entries: 12, images: 3, refused: [] },
      file: '/home/ada/workdiary-Website-redesign-2026-11-23.wdlog',
      title: 'Website redesign',
      cancelled: false,
      ...over,
    }) as app.LogFileView;

  it('lets a contractor save a log file and says who opens it', async () => {
    list.mockResolvedValue([someContract(), someContract({ id: 'b'.repeat(64), state: 'offered', role: 'employer' })]);
    vi.mocked(SyncStates).mockResolvedValue([]);
    vi.mocked(ExportLog).mockResolvedValue(view());
    const { user } = setup();

    const rows = await screen.findAllByTestId('contract-row');
    expect(within(rows[1]).queryByTestId('contract-export-log')).not.toBeInTheDocument();
    await user.click(within(rows[0]).getByTestId('contract-export-log'));
    expect(ExportLog).toHaveBeenCalledWith(CONTRACT_ID);
    const line = await screen.findByTestId('logfile-message');
    expect(line).toHaveTextContent('Saved 12 entries and 3 images of “Website redesign” to /home/ada/workdiary-Website');
    expect(line).toHaveTextContent('Import a file');
  });

  it('lets an employer save a reply, and a contractor apply it with a line saying what it closed and changed', async () => {
    list.mockResolvedValue([someContract({ role: 'employer' }), someContract({ id: OTHER_CONTRACT_ID, title: 'Logo' })]);
    vi.mocked(SyncStates).mockResolvedValue([]);
    vi.mocked(ExportLog).mockResolvedValue(
      view({ result: { kind: 'reply', contract: CONTRACT_ID, entries: 0, images: 0, closes: 2, changes: { pause: 1 } } as never }),
    );
    vi.mocked(ImportLog).mockResolvedValue(
      view({ title: 'Logo', result: { kind: 'reply', contract: OTHER_CONTRACT_ID, entries: 0, images: 0, closes: 2, changes: { dispute: 1 } } as never }),
    );
    const { user } = setup();

    const rows = await screen.findAllByTestId('contract-row');
    const save = within(rows[0]).getByTestId('contract-export-log');
    expect(save).toHaveTextContent('Save reply file…');
    await user.click(save);
    let line = await screen.findByTestId('logfile-message');
    expect(line).toHaveTextContent('Saved the reply to “Website redesign” for your contractor to /home/ada/');
    expect(line).toHaveTextContent('(2 weeks to close, 1 pause)');

    await user.click(screen.getByTestId('logfile-import'));
    line = await screen.findByTestId('logfile-message');
    await vi.waitFor(() => expect(line).toHaveTextContent('Applied your employer’s reply to “Logo”: 2 weeks closed, 1 dispute.'));
  });

  it('lets an employer import a log file; a closed dialog changes nothing, a bad file says why', async () => {
    list.mockResolvedValue([someContract({ role: 'employer' })]);
    vi.mocked(SyncStates).mockResolvedValue([]);
    vi.mocked(ImportLog)
      .mockResolvedValueOnce(view({ cancelled: true, title: '', file: '' }))
      .mockResolvedValueOnce(view({ result: { contract: CONTRACT_ID, entries: 1, images: 0, refused: [{}] } as never }))
      .mockRejectedValueOnce('the file was not applied, nothing changed: holiday.jpg is not a log file Workdiary can import');
    const { user } = setup();

    await screen.findAllByTestId('contract-row');
    expect(screen.getByTestId('contract-export-log')).toHaveTextContent('Save reply file…');
    await user.click(screen.getByTestId('logfile-import'));
    expect(ImportLog).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('logfile-message')).not.toBeInTheDocument();
    expect(screen.queryByTestId('error')).not.toBeInTheDocument();

    await user.click(screen.getByTestId('logfile-import'));
    const line = await screen.findByTestId('logfile-message');
    expect(line).toHaveTextContent('Imported the log of “Website redesign”: 1 entry and 0 images, every one verified.');
    expect(line).toHaveTextContent('Refused 1 entry for breaking the contract’s terms');

    await user.click(screen.getByTestId('logfile-import'));
    expect(await screen.findByTestId('error')).toHaveTextContent('The file was not applied, nothing changed: holiday.jpg');
    expect(screen.queryByTestId('logfile-message')).not.toBeInTheDocument();
  });
});

describe('ContractsView sync', () => {
  it('says how each counterpart is reached, and what to do when only a public relay reaches it', async () => {
    list.mockResolvedValue([
      someContract(),
      someContract({ id: OTHER_CONTRACT_ID, title: 'Logo', role: 'employer' }),
      someContract({ id: 'c'.repeat(64), title: 'Mobile', role: 'employer' }),
    ]);
    vi.mocked(SyncStates).mockResolvedValue([
      someSyncState({ online: true, path: 'hole-punched', last_path: 'direct' }),
      someSyncState({ contract: OTHER_CONTRACT_ID, online: false, last_path: 'file' }),
      someSyncState({ contract: 'c'.repeat(64), online: true, path: 'relayed-limited' }),
    ]);
    setup();

    const rows = await screen.findAllByTestId('contract-row');
    await vi.waitFor(() => expect(within(rows[0]).getByTestId('contract-path')).toBeInTheDocument());
    const [first, second, third] = rows.map((r) => within(r));
    expect(first.getByTestId('contract-path')).toHaveTextContent('Reached directly, through both routers');
    expect(first.queryByTestId('contract-path-advice')).not.toBeInTheDocument();
    expect(second.getByTestId('contract-path')).toHaveTextContent('Last synced by log file');
    expect(third.getByTestId('contract-path')).toHaveTextContent('Reached only through a public relay');
    expect(third.getByTestId('contract-path-advice')).toHaveTextContent('workdiary serve --relay');
  });

  it('shows each counterpart online or offline, the last sync and the last error', async () => {
    list.mockResolvedValue([
      someContract(),
      someContract({ id: OTHER_CONTRACT_ID, title: 'Logo', role: 'employer' }),
      someContract({ id: 'c'.repeat(64), title: 'Draft', role: 'employer', counterpart: '', state: 'offered' }),
    ]);
    vi.mocked(SyncStates).mockResolvedValue([
      someSyncState({ online: true, last_sync: new Date(Date.now() - 2 * 60_000 - 5_000).toISOString() }),
      someSyncState({
        contract: OTHER_CONTRACT_ID,
        online: false,
        last_sync: '0001-01-01T00:00:00Z',
        error: "refused by the other side: entry breaks the contract's terms: over the weekly limit",
      }),
    ]);
    setup();

    const rows = await screen.findAllByTestId('contract-row');
    await vi.waitFor(() => expect(within(rows[0]).getByTestId('contract-online')).toHaveTextContent('online'));
    const [first, second, third] = rows.map((r) => within(r));
    expect(first.getByTestId('contract-last-sync')).toHaveTextContent('2 min ago');
    expect(first.queryByTestId('contract-sync-error')).not.toBeInTheDocument();

    expect(second.getByTestId('contract-online')).toHaveTextContent('offline');
    expect(second.getByTestId('contract-online')).not.toHaveClass('is-online');
    expect(first.getByTestId('contract-online')).toHaveClass('is-online');
    expect(second.getByTestId('contract-last-sync')).toHaveTextContent('never');
    expect(second.getByTestId('contract-sync-error')).toHaveTextContent(
      "Last sync failed: Refused by the other side: entry breaks the contract's terms: over the weekly limit",
    );

    expect(third.queryByTestId('contract-online')).not.toBeInTheDocument();
    expect(third.getByTestId('contract-last-sync')).toHaveTextContent('—');
  });

  it('syncs now with a progress bar, then one line per contract', async () => {
    list.mockResolvedValue([someContract()]);
    let finish: (v: ReturnType<typeof someSyncResult>[]) => void = () => {};
    vi.mocked(SyncNow).mockReturnValue(new Promise((resolve) => (finish = resolve)));
    const { user } = setup();

    const button = await screen.findByTestId('contracts-sync');
    expect(button).toHaveTextContent('Sync now');
    expect(screen.queryByTestId('contracts-sync-progress')).not.toBeInTheDocument();
    await user.click(button);

    const progress = screen.getByRole('progressbar', { name: 'Syncing with your counterparts' });
    expect(progress).toHaveAttribute('data-testid', 'contracts-sync-progress');
    expect(button).toBeDisabled();

    finish([
      someSyncResult({ title: 'Invoice parser' }),
      someSyncResult({ contract: OTHER_CONTRACT_ID, title: 'Logo', error: 'the employer is not reachable right now' }),
    ]);

    await vi.waitFor(() => expect(screen.getAllByTestId('contracts-sync-result')).toHaveLength(2));
    const lines = screen.getAllByTestId('contracts-sync-result');
    expect(lines[0]).toHaveTextContent('Invoice parser: sent; your employer has received all 12 entries');
    expect(lines[1]).toHaveTextContent('Logo: The employer is not reachable right now');
    expect(screen.queryByTestId('contracts-sync-progress')).not.toBeInTheDocument();
    expect(button).toBeEnabled();
  });

  it('says why Sync now could not run', async () => {
    list.mockResolvedValue([someContract()]);
    vi.mocked(SyncNow).mockRejectedValue('the network is not running');
    const { user } = setup();

    await user.click(await screen.findByTestId('contracts-sync'));

    expect(await screen.findByTestId('error')).toHaveTextContent('The network is not running');
  });
});

describe('ContractsView offer', () => {
  it('sends every term and shows the invite, QR and consent lines', async () => {
    vi.mocked(Offer).mockResolvedValue({
      contract: someContract({ role: 'employer', state: 'offered', counterpart: '' }),
      invite: 'wd1-INVITE-CODE',
      qr: 'data:image/png;base64,QR',
      consent: CONSENT,
    } as never);
    const { user } = setup();

    await user.click(await screen.findByTestId('offer-new'));
    await user.type(screen.getByLabelText('Title'), 'Website redesign');
    await user.type(screen.getByTestId('offer-rate'), '35.00');
    await user.clear(screen.getByTestId('offer-currency'));
    await user.type(screen.getByTestId('offer-currency'), 'eur');
    await user.clear(screen.getByTestId('offer-weekly-limit'));
    await user.type(screen.getByTestId('offer-weekly-limit'), '20');
    await user.selectOptions(screen.getByLabelText('At the limit'), 'continue');
    await user.clear(screen.getByTestId('offer-screenshots'));
    await user.type(screen.getByTestId('offer-screenshots'), '2');
    await user.selectOptions(screen.getByLabelText('Blur'), 'allowed');
    await user.click(screen.getByLabelText(/Webcam photo/));
    await user.click(screen.getByLabelText(/Count keyboard and mouse/));
    await user.click(screen.getByLabelText('Allow manual time'));
    await user.selectOptions(screen.getByLabelText(/Time recorded without/), 'exclude');
    await user.clear(screen.getByTestId('offer-week-zone'));
    await user.type(screen.getByTestId('offer-week-zone'), 'europe/berlin');
    await user.click(screen.getByTestId('offer-submit'));

    expect(Offer).toHaveBeenCalledWith({
      title: 'Website redesign',
      rate: '35.00',
      currency: 'EUR',
      weekly_limit_hours: 20,
      over_limit: 'continue',
      screenshots: 2,
      blur: 'allowed',
      webcam: true,
      no_activity: true,
      manual_time: true,
      unverified: 'exclude',
      week_zone: 'Europe/Berlin',
    });
    expect(await screen.findByTestId('offer-invite')).toHaveTextContent('wd1-INVITE-CODE');
    expect(screen.getByTestId('offer-qr')).toHaveAttribute('src', 'data:image/png;base64,QR');
    expect(screen.getByTestId('offer-copy')).toBeInTheDocument();
    expect(screen.getAllByTestId('consent-line')).toHaveLength(CONSENT.length);
  });

  it('asks for a title and a rate before signing', async () => {
    const { user } = setup();

    await user.click(await screen.findByTestId('offer-new'));
    await user.click(screen.getByTestId('offer-submit'));

    expect(screen.getByTestId('offer-title')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByTestId('offer-title')).toHaveFocus();
    expect(Offer).not.toHaveBeenCalled();
  });

  it("offers the employer's display zone for the weeks and refuses a zone that does not exist", async () => {
    setDisplayZone('America/New_York');
    const { user } = setup();

    await user.click(await screen.findByTestId('offer-new'));
    expect(screen.getByTestId('offer-week-zone')).toHaveValue('America/New_York');
    await user.type(screen.getByLabelText('Title'), 'Website redesign');
    await user.type(screen.getByTestId('offer-rate'), '35.00');
    await user.clear(screen.getByTestId('offer-week-zone'));
    await user.type(screen.getByTestId('offer-week-zone'), 'Mars/Olympus');
    await user.click(screen.getByTestId('offer-submit'));

    expect(screen.getByTestId('offer-week-zone')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByTestId('offer-week-zone')).toHaveFocus();
    expect(Offer).not.toHaveBeenCalled();
    setDisplayZone('');
  });
});

describe('ContractsView invite', () => {
  it('shows the consent screen with every line, then accepts and opens the tracker', async () => {
    vi.mocked(Preview).mockResolvedValue(somePreview());
    vi.mocked(Accept).mockResolvedValue(someContract({ state: 'accepted-pending-delivery' }));
    const { user, navigate, trackerStore } = setup();

    await user.click(await screen.findByTestId('invite-open'));
    await user.type(screen.getByLabelText('Invite code'), 'wd1-good');
    await user.click(screen.getByTestId('invite-review'));

    const consent = await screen.findByTestId('consent');
    expect(within(consent).getByText('Grace Hopper', { selector: 'dd' })).toBeInTheDocument();
    expect(within(consent).getByText(somePreview().employer_fingerprint)).toBeInTheDocument();
    expect(consent).toHaveTextContent(/Compare it with what your employer tells you/);
    expect(within(consent).getByText('35.00 USD/h')).toBeInTheDocument();
    const lines = within(consent).getAllByTestId('consent-line');
    expect(lines.map((l) => l.textContent)).toEqual(CONSENT);

    await user.click(screen.getByTestId('invite-accept'));

    expect(Accept).toHaveBeenCalledWith('wd1-good');
    expect(navigate).toHaveBeenCalledWith('tracker');
    expect(trackerStore.selected).toBe(CONTRACT_ID);
  });

  it('shows why a code is bad and stays on the form', async () => {
    vi.mocked(Preview).mockRejectedValue('this invite code was changed after it was made (checksum mismatch)');
    const { user } = setup();

    await user.click(await screen.findByTestId('invite-open'));
    await user.type(screen.getByTestId('invite-code'), 'wd1-tampered');
    await user.click(screen.getByTestId('invite-review'));

    expect(await screen.findByTestId('error')).toHaveTextContent('checksum mismatch');
    expect(screen.queryByTestId('consent')).not.toBeInTheDocument();
    expect(screen.getByTestId('invite-code')).toBeInTheDocument();
  });

  it('cancels the consent screen without accepting', async () => {
    vi.mocked(Preview).mockResolvedValue(somePreview());
    const { user } = setup();

    await user.click(await screen.findByTestId('invite-open'));
    await user.type(screen.getByTestId('invite-code'), 'wd1-good');
    await user.click(screen.getByTestId('invite-review'));
    await user.click(await screen.findByRole('button', { name: 'Cancel' }));

    expect(Accept).not.toHaveBeenCalled();
    expect(screen.queryByTestId('consent')).not.toBeInTheDocument();
    expect(screen.getByTestId('offer-new')).toBeInTheDocument();
  });
});

describe('ContractsView detail', () => {
  it('opens a contract and pauses it after a confirmation that says what it does', async () => {
    const item = someContract({ role: 'contractor', state: 'active' });
    list.mockResolvedValue([item]);
    const detail = { ...item, employer: 'Acme', week_start: 'Monday 00:00 UTC', week_zone: 'UTC', review_days: 5, offered_rate: item.rate,
      offered_weekly_limit_hours: 40, changes: [], disputes: [] };
    vi.mocked(Show).mockResolvedValue(detail as never);
    vi.mocked(Pause).mockResolvedValue({ ...detail, state: 'paused', paused_since: '2026-11-25T12:00:00Z',
      changes: [{ kind: 'pause', by: 'contractor', at: '2026-11-25T12:00:00Z', reason: 'Holiday' }] } as never);
    const { user } = setup();

    await user.click(await screen.findByTestId('contract-open'));
    expect(await screen.findByTestId('contract-detail')).toBeVisible();
    expect(screen.queryByTestId('contract-amend')).not.toBeInTheDocument(); // the employer's
    await user.click(screen.getByTestId('contract-pause'));
    const dialog = await screen.findByTestId('contract-change-dialog');
    expect(within(dialog).getByText(/No time is recorded while the contract is paused/)).toBeVisible();
    await user.type(within(dialog).getByTestId('change-reason'), 'Holiday');
    await user.click(within(dialog).getByTestId('contract-change-confirm'));

    expect(vi.mocked(Pause)).toHaveBeenCalledWith({ contract: item.id, reason: 'Holiday', rate: '', weekly_limit_hours: -1 });
    expect(await screen.findByTestId('contract-resume')).toBeVisible();
    expect(screen.getByTestId('contract-change')).toHaveAttribute('data-kind', 'pause');
    expect(screen.queryByTestId('contract-change-dialog')).not.toBeInTheDocument();
  });
});
