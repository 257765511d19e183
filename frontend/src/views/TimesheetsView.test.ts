import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../wailsjs/go/app/TeamAPI');
vi.mock('../../wailsjs/go/app/ContractsAPI');
vi.mock('../../wailsjs/go/app/ImagesAPI');
vi.mock('../../wailsjs/go/app/TimesheetsAPI');
vi.mock('../../wailsjs/runtime/runtime', () => import('../testing/wails-runtime'));

import { List as Contracts, SyncStates, Weeks } from '../../wailsjs/go/app/ContractsAPI';
import { List } from '../../wailsjs/go/app/TeamAPI';
import { Export, Open, SaveAs, ShowInFolder, Verify } from '../../wailsjs/go/app/TimesheetsAPI';
import { isoWeek } from '../lib/diary';
import { recentWeeks, weekDates } from '../lib/weeks';
import { ContractsStore } from '../stores/contracts.svelte';
import { TeamStore } from '../stores/team.svelte';
import { TimesheetsStore } from '../stores/timesheets.svelte';
import { WeeksStore } from '../stores/weeks.svelte';
import {
  CONTRACT_ID,
  EXPORTS,
  OTHER_CONTRACT_ID,
  PRINCIPAL,
  someContract,
  someTeamRow,
  someTimesheetResult,
  someVerifyView,
  someWeek,
  timesheetSummary,
} from '../testing/fixtures';
import TimesheetsView from './TimesheetsView.svelte';

function setup() {
  const navigate = vi.fn();
  render(TimesheetsView, {
    store: new TeamStore(),
    contractsStore: new ContractsStore(),
    timesheets: new TimesheetsStore(),
    weeksStore: new WeeksStore(),
    navigate,
  });
  return { navigate };
}

function stubClipboard() {
  const writeText = vi.fn(async () => {});
  vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
  return writeText;
}

async function firstRow() {
  const [row] = await screen.findAllByTestId('timesheet-row');
  return within(row);
}

beforeEach(() => {
  vi.resetAllMocks();
  vi.mocked(Contracts).mockResolvedValue([]);
  vi.mocked(SyncStates).mockResolvedValue([]);
  vi.mocked(Weeks).mockResolvedValue([]);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('TimesheetsView', () => {
  it('keeps the empty state without contracts', async () => {
    vi.mocked(List).mockResolvedValue([]);
    const { navigate } = setup();

    expect(await screen.findByText(/Weekly timesheets for your contracts appear here/)).toBeVisible();
    await userEvent.setup().click(screen.getByTestId('timesheets-empty-action'));
    expect(navigate).toHaveBeenCalledWith('contracts');
  });

  it("lists each contract's hours this week with a week picked by its dates, and no command line", async () => {
    vi.mocked(List).mockResolvedValue([
      someTeamRow(),
      someTeamRow({ contract: OTHER_CONTRACT_ID, title: 'Logo', contractor: '', state: 'offered', week_minutes: 0, weekly_limit_hours: 0 }),
    ]);
    setup();

    const rows = await screen.findAllByTestId('timesheet-row');
    const [ada, logo] = rows.map((r) => within(r));
    expect(rows[0]).toHaveAttribute('data-contract-id', CONTRACT_ID);
    expect(ada.getByTestId('timesheet-week-hours')).toHaveTextContent('12:40 h of 40 h');
    const picker = ada.getByLabelText('Week');
    expect(picker).toBe(ada.getByTestId('timesheet-week'));
    expect(picker).toHaveValue(isoWeek(new Date()));
    expect(within(picker).getAllByRole('option')[0]).toHaveTextContent(`This week · ${weekDates(isoWeek(new Date()))}`);
    expect(ada.getByTestId('timesheet-export')).toHaveTextContent('Export timesheet');
    expect(screen.getByTestId('view-timesheets')).not.toHaveTextContent('workdiary timesheet');
    expect(screen.getByTestId('view-timesheets')).not.toHaveTextContent('--out');

    expect(logo.getByTestId('timesheet-week-hours')).toHaveTextContent('0:00 h');
    expect(logo.queryByTestId('timesheet-export')).not.toBeInTheDocument();
    expect(rows[1]).toHaveTextContent('No timesheet until the offer is accepted.');
  });

  it("gives a contractor the same export for their own contracts, as proof of delivery", async () => {
    vi.mocked(List).mockResolvedValue([]);
    vi.mocked(Contracts).mockResolvedValue([
      someContract({ role: 'contractor', state: 'active' }),
      someContract({ id: OTHER_CONTRACT_ID, title: 'Withdrawn', role: 'contractor', state: 'withdrawn' }),
    ]);
    vi.mocked(Export).mockResolvedValue(someTimesheetResult(isoWeek(new Date())));
    const user = userEvent.setup();
    setup();

    const rows = await screen.findAllByTestId('timesheet-row');
    expect(rows).toHaveLength(1);
    const row = within(rows[0]);
    expect(rows[0]).toHaveAttribute('data-role', 'contractor');
    expect(rows[0]).toHaveTextContent('Employer: Grace Hopper');
    expect(row.queryByTestId('timesheet-week-hours')).not.toBeInTheDocument();

    await user.click(row.getByTestId('timesheet-export'));
    expect(Export).toHaveBeenCalledWith(CONTRACT_ID, isoWeek(new Date()));
    expect(await row.findByTestId('timesheet-result')).toHaveTextContent('Signed by you, as proof of delivery');
  });

  it("counts this week in the contract's week zone", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-29T23:30:00Z')); // Monday 00:30 in Berlin
    try {
      vi.mocked(List).mockResolvedValue([]);
      vi.mocked(Contracts).mockResolvedValue([someContract({ role: 'contractor', week_zone: 'Europe/Berlin' })]);
      setup();
      const row = within(await screen.findByTestId('timesheet-row'));
      const first = within(row.getByTestId('timesheet-week')).getAllByRole('option')[0];
      expect(first).toHaveTextContent('This week · 30 Nov – 6 Dec 2026');
    } finally {
      vi.useRealTimers();
    }
  });

  it('exports the picked week, then says what it holds and opens, shows and saves its files', async () => {
    vi.mocked(List).mockResolvedValue([someTeamRow()]);
    const lastWeek = recentWeeks(new Date())[1].week;
    let done!: (v: ReturnType<typeof someTimesheetResult>) => void;
    vi.mocked(Export).mockReturnValue(new Promise((r) => (done = r)));
    vi.mocked(Open).mockResolvedValue();
    vi.mocked(ShowInFolder).mockResolvedValue();
    const user = userEvent.setup();
    const writeText = stubClipboard();
    setup();
    const row = await firstRow();

    await user.selectOptions(row.getByTestId('timesheet-week'), lastWeek);
    await user.click(row.getByTestId('timesheet-export'));

    expect(Export).toHaveBeenCalledWith(CONTRACT_ID, lastWeek);
    expect(row.getByTestId('timesheet-export')).toBeDisabled();
    expect(row.getByTestId('timesheet-export')).toHaveTextContent('Exporting…');
    expect(row.getByTestId('timesheet-progress')).toHaveTextContent(`Signing the timesheet for ${weekDates(lastWeek)}`);

    done(someTimesheetResult(lastWeek));
    const result = within(await row.findByTestId('timesheet-result'));
    expect(row.queryByTestId('timesheet-progress')).not.toBeInTheDocument();
    expect(result.getByText(`Timesheet for ${weekDates(lastWeek)} is ready`)).toBeVisible();
    const facts = result.getByTestId('timesheet-facts');
    expect(facts).toHaveTextContent('Week 23 Nov – 29 Nov 2026 (UTC)');
    expect(facts).toHaveTextContent('Recorded 12:40 h, of which 0:40 h added by hand');
    expect(facts).toHaveTextContent('Billable 12:40 h');
    expect(facts).toHaveTextContent('Amount 443.33 USD');
    expect(facts).toHaveTextContent('Signed by you, from the hours you received');
    // No raw verifier text or RFC 3339 times outside the details.
    expect(result.getByTestId('timesheet-details')).not.toHaveAttribute('open');
    expect(facts).not.toHaveTextContent('T00:00:00Z');

    const name = `timesheet-${CONTRACT_ID.slice(0, 12)}-${lastWeek}`;
    const files = within(result.getByTestId('timesheet-files'));
    expect(files.getByTestId('timesheet-file-zip')).toHaveTextContent(`${EXPORTS}/${name}.zip`);
    // The e2e test reads the bundle's path out of the list's text.
    expect(result.getByTestId('timesheet-files').textContent?.match(/\S+\.zip(?!\.sig)/)?.[0]).toBe(`${EXPORTS}/${name}.zip`);

    await user.click(files.getByTestId('timesheet-open-pdf'));
    expect(Open).toHaveBeenCalledWith(`${EXPORTS}/${name}.pdf`);
    await user.click(files.getByTestId('timesheet-show-zip'));
    expect(ShowInFolder).toHaveBeenCalledWith(`${EXPORTS}/${name}.zip`);
    vi.mocked(SaveAs).mockResolvedValueOnce('/home/grace/Documents/week.pdf');
    await user.click(files.getByTestId('timesheet-save-pdf'));
    expect(SaveAs).toHaveBeenCalledWith(`${EXPORTS}/${name}.pdf`);
    expect(await result.findByTestId('timesheet-file-note')).toHaveTextContent('Saved a copy to /home/grace/Documents/week.pdf.');
    vi.mocked(SaveAs).mockResolvedValueOnce('');
    await user.click(files.getByTestId('timesheet-save-csv'));
    expect(result.queryByTestId('timesheet-file-note')).not.toBeInTheDocument();
    vi.mocked(Open).mockRejectedValueOnce('the desktop could not open x.pdf: exit status 3');
    await user.click(files.getByTestId('timesheet-open-pdf'));
    expect(await result.findByTestId('error')).toHaveTextContent('The desktop could not open x.pdf');

    await user.click(result.getByText('Technical details'));
    expect(result.getByTestId('timesheet-summary').textContent).toBe(timesheetSummary(lastWeek));
    const ssh = `ssh-keygen -Y verify -f allowed_signers -I ${PRINCIPAL} -n workdiary-timesheet -s ${name}.zip.sig < ${name}.zip`;
    expect(result.getByTestId('timesheet-ssh-command')).toHaveTextContent(ssh);
    await user.click(result.getByTestId('timesheet-copy-ssh'));
    expect(writeText).toHaveBeenLastCalledWith(ssh);

    await user.click(result.getByTestId('timesheet-result-close'));
    expect(row.queryByTestId('timesheet-result')).not.toBeInTheDocument();
  });

  it('lists a contract’s weeks under its export, and a closed week’s timesheet says what is disputed and corrected', async () => {
    vi.mocked(List).mockResolvedValue([]);
    vi.mocked(Contracts).mockResolvedValue([someContract({ role: 'contractor', state: 'active' })]);
    vi.mocked(Weeks).mockResolvedValue([
      someWeek({ week: '2026-W49', start: '2026-11-30T00:00:00Z', state: 'closing', cosigned: false, unapproved: 1 }),
      someWeek(),
    ]);
    const result = someTimesheetResult('2026-W48');
    result.sheet.totals = { ...result.sheet.totals, billable_minutes: 750, disputed_minutes: 10, disputed_amount: '5.83' };
    result.sheet.corrections = [
      { seq: 80, start: '2026-11-24T09:00:00Z', corrects: '2026-W47', minutes: 10 },
      { seq: 81, start: '2026-11-24T09:10:00Z', corrects: '2026-W47', minutes: 10 },
    ];
    vi.mocked(Export).mockResolvedValue(result);
    const user = userEvent.setup();
    setup();
    const row = await firstRow();

    const weeks = await row.findAllByTestId('week-row');
    expect(Weeks).toHaveBeenCalledWith(CONTRACT_ID);
    expect(weeks.map((w) => w.dataset.state)).toEqual(['closing', 'closed']);
    expect(weeks[0]).toHaveTextContent('1 segment still unapproved');
    expect(weeks[1]).toHaveTextContent('Closed at log size 12, cosigned by both parties.');

    await user.click(row.getByTestId('timesheet-export'));
    const facts = within(await row.findByTestId('timesheet-facts'));
    expect(facts.getByTestId('timesheet-facts-disputed')).toHaveTextContent('0:10 h disputed by the employer, not billed (5.83 USD)');
    expect(facts.getByTestId('timesheet-facts-corrections')).toHaveTextContent('0:20 h corrects 2026-W47, a closed week');
  });

  it('shows why an export failed', async () => {
    vi.mocked(List).mockResolvedValue([someTeamRow()]);
    vi.mocked(Export).mockRejectedValue('no cosigned checkpoint yet: sync with the other party first');
    const user = userEvent.setup();
    setup();
    const row = await firstRow();

    await user.click(row.getByTestId('timesheet-export'));

    expect(Export).toHaveBeenCalledWith(CONTRACT_ID, isoWeek(new Date()));
    expect(await row.findByTestId('error')).toHaveTextContent('No cosigned checkpoint yet: sync with the other party first');
    expect(row.queryByTestId('timesheet-result')).not.toBeInTheDocument();
  });
});

describe('TimesheetsView verify', () => {
  const zip = (name: string) => new File([new Uint8Array([0x50, 0x4b, 0x03, 0x04])], name, { type: 'application/zip' });

  it('verifies a bundle without any contract and shows it valid', async () => {
    vi.mocked(List).mockResolvedValue([]);
    vi.mocked(Verify).mockResolvedValue(someVerifyView());
    const user = userEvent.setup();
    setup();
    await screen.findByText(/Weekly timesheets for your contracts appear here/);

    const input = screen.getByLabelText('Timesheet bundle (.zip)');
    expect(input).toBe(screen.getByTestId('verify-file'));
    expect(input).toHaveAttribute('accept', '.zip,application/zip');
    await user.upload(input, zip('week48.zip'));

    const result = await screen.findByTestId('verify-result');
    expect(Verify).toHaveBeenCalledWith('UEsDBA==');
    expect(result).toHaveAttribute('data-state', 'valid');
    expect(result).toHaveTextContent('Valid');
    expect(result).toHaveTextContent('week48.zip');
    const facts = within(result).getByTestId('verify-facts');
    expect(facts).toHaveTextContent('Website redesign');
    expect(facts).toHaveTextContent('Amount 443.33 USD');
    expect(facts).toHaveTextContent('Signed by Grace Hopper (the employer)');
    await user.click(within(result).getByText('Technical details'));
    expect(within(result).getByTestId('verify-summary').textContent).toBe(timesheetSummary());
  });

  it('shows an invalid bundle in red words with the reason, even when the contracts failed to load', async () => {
    vi.mocked(List).mockRejectedValue('badger: closed');
    vi.mocked(Verify).mockRejectedValue('INVALID: checkpoint: not cosigned by the contractor');
    const user = userEvent.setup();
    setup();
    expect(await screen.findByTestId('error')).toHaveTextContent('Badger: closed');

    await user.upload(screen.getByTestId('verify-file'), zip('forged.zip'));

    const result = await screen.findByTestId('verify-result');
    expect(result).toHaveAttribute('data-state', 'invalid');
    expect(result).toHaveTextContent('Invalid');
    expect(result).toHaveTextContent('Checkpoint: not cosigned by the contractor');
    expect(result).not.toHaveTextContent('Valid');
  });
});
