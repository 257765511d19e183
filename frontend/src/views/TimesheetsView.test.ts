import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../wailsjs/go/app/TeamAPI');
vi.mock('../../wailsjs/go/app/ImagesAPI');
vi.mock('../../wailsjs/go/app/TimesheetsAPI');
vi.mock('../../wailsjs/runtime/runtime', () => import('../testing/wails-runtime'));

import { List } from '../../wailsjs/go/app/TeamAPI';
import { Export, Verify } from '../../wailsjs/go/app/TimesheetsAPI';
import { isoWeek } from '../lib/diary';
import { TeamStore } from '../stores/team.svelte';
import { TimesheetsStore } from '../stores/timesheets.svelte';
import {
  CONTRACT_ID,
  EXPORTS,
  OTHER_CONTRACT_ID,
  PRINCIPAL,
  someTeamRow,
  someTimesheetResult,
  timesheetSummary,
} from '../testing/fixtures';
import TimesheetsView from './TimesheetsView.svelte';


function setup() {
  const navigate = vi.fn();
  render(TimesheetsView, { store: new TeamStore(), timesheets: new TimesheetsStore(), navigate });
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

  it("lists each contract's hours this week with the export command for the current ISO week", async () => {
    vi.mocked(List).mockResolvedValue([
      someTeamRow(),
      someTeamRow({ contract: OTHER_CONTRACT_ID, title: 'Logo', contractor: '', state: 'offered', week_minutes: 0, weekly_limit_hours: 0 }),
    ]);
    const user = userEvent.setup();
    const writeText = stubClipboard();
    setup();

    const rows = await screen.findAllByTestId('timesheet-row');
    const week = isoWeek(new Date());
    expect(week).toMatch(/^\d{4}-W\d\d$/);
    expect(screen.getByTestId('timesheets-week')).toHaveTextContent(week);
    const [ada, logo] = rows.map((r) => within(r));
    expect(rows[0]).toHaveAttribute('data-contract-id', CONTRACT_ID);
    expect(ada.getByTestId('timesheet-week-hours')).toHaveTextContent('12:40 h of 40 h');
    const cmd = `workdiary timesheet --contract ${CONTRACT_ID.slice(0, 12)} --week ${week} --out DIR`;
    expect(ada.getByTestId('timesheet-command')).toHaveTextContent(cmd);
    expect(ada.getByTestId('timesheet-week')).toHaveValue(week);
    expect(ada.getByLabelText('Week')).toBe(ada.getByTestId('timesheet-week'));
    expect(ada.getByTestId('timesheet-export')).toHaveTextContent('Export');

    await user.click(ada.getByTestId('timesheet-copy-command'));
    expect(writeText).toHaveBeenCalledWith(cmd);
    expect(await ada.findByText('Copied')).toBeInTheDocument();

    expect(logo.getByTestId('timesheet-week-hours')).toHaveTextContent('0:00 h');
    expect(logo.queryByTestId('timesheet-command')).not.toBeInTheDocument();
    expect(logo.queryByTestId('timesheet-export')).not.toBeInTheDocument();
    expect(rows[1]).toHaveTextContent('No timesheet until the offer is accepted.');
  });

  it('exports the picked week with progress, then shows the summary, files and OpenSSH command to copy', async () => {
    vi.mocked(List).mockResolvedValue([someTeamRow()]);
    let done!: (v: ReturnType<typeof someTimesheetResult>) => void;
    vi.mocked(Export).mockReturnValue(new Promise((r) => (done = r)));
    const user = userEvent.setup();
    const writeText = stubClipboard();
    setup();
    const row = await firstRow();

    await user.clear(row.getByTestId('timesheet-week'));
    await user.type(row.getByTestId('timesheet-week'), '2026-w47');
    const cmd = `workdiary timesheet --contract ${CONTRACT_ID.slice(0, 12)} --week 2026-W47 --out DIR`;
    expect(row.getByTestId('timesheet-command')).toHaveTextContent(cmd);
    await user.click(row.getByTestId('timesheet-export'));

    expect(Export).toHaveBeenCalledWith(CONTRACT_ID, '2026-W47');
    expect(row.getByTestId('timesheet-export')).toBeDisabled();
    expect(row.getByTestId('timesheet-export')).toHaveTextContent('Exporting…');
    expect(row.getByTestId('timesheet-progress')).toHaveTextContent('Signing the timesheet for 2026-W47');

    done(someTimesheetResult('2026-W47'));
    const result = within(await row.findByTestId('timesheet-result'));
    expect(row.queryByTestId('timesheet-progress')).not.toBeInTheDocument();
    expect(row.getByTestId('timesheet-export')).toBeEnabled();
    expect(result.getByText('Exported 2026-W47')).toBeVisible();
    // Pre-formatted: the summary keeps its lines.
    const summary = result.getByTestId('timesheet-summary');
    expect(summary.tagName).toBe('PRE');
    expect(summary.textContent).toBe(timesheetSummary('2026-W47'));

    const name = `timesheet-${CONTRACT_ID.slice(0, 12)}-2026-W47`;
    const files = within(result.getByTestId('timesheet-files'));
    for (const [key, path] of [
      ['zip', `${name}.zip`],
      ['pdf', `${name}.pdf`],
      ['csv', `${name}.csv`],
      ['sig', `${name}.zip.sig`],
      ['allowed-signers', 'allowed_signers'],
    ]) {
      expect(files.getByTestId(`timesheet-file-${key}`)).toHaveTextContent(`${EXPORTS}/${path}`);
    }
    await user.click(files.getByTestId('timesheet-copy-pdf'));
    expect(writeText).toHaveBeenLastCalledWith(`${EXPORTS}/${name}.pdf`);
    // The e2e test reads the bundle's path out of the list's text.
    expect(result.getByTestId('timesheet-files').textContent?.match(/\S+\.zip(?!\.sig)/)?.[0]).toBe(`${EXPORTS}/${name}.zip`);

    const ssh = `ssh-keygen -Y verify -f allowed_signers -I ${PRINCIPAL} -n workdiary-timesheet -s ${name}.zip.sig < ${name}.zip`;
    expect(result.getByTestId('timesheet-ssh-command')).toHaveTextContent(ssh);
    expect(result.getByText(EXPORTS)).toBeVisible();
    await user.click(result.getByTestId('timesheet-copy-ssh'));
    expect(writeText).toHaveBeenLastCalledWith(ssh);

    await user.click(result.getByTestId('timesheet-result-close'));
    expect(row.queryByTestId('timesheet-result')).not.toBeInTheDocument();
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

  it('refuses a week that is not YYYY-Www, next to the field', async () => {
    vi.mocked(List).mockResolvedValue([someTeamRow()]);
    const user = userEvent.setup();
    setup();
    const row = await firstRow();
    const input = row.getByTestId('timesheet-week');

    await user.clear(input);
    await user.type(input, '2026-48');
    await user.click(row.getByTestId('timesheet-export'));

    expect(Export).not.toHaveBeenCalled();
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription('Enter the week as YYYY-Www, e.g. 2026-W48.');
    expect(input).toHaveFocus();
    // The command falls back to this week while the field is wrong.
    expect(row.getByTestId('timesheet-command')).toHaveTextContent(`--week ${isoWeek(new Date())} `);

    await user.type(input, '{Backspace}{Backspace}{Backspace}W48');
    expect(input).not.toHaveAttribute('aria-invalid');
  });
});

describe('TimesheetsView verify', () => {
  const zip = (name: string) => new File([new Uint8Array([0x50, 0x4b, 0x03, 0x04])], name, { type: 'application/zip' });

  it('verifies a bundle without any contract and shows it valid', async () => {
    vi.mocked(List).mockResolvedValue([]);
    vi.mocked(Verify).mockResolvedValue(timesheetSummary());
    const user = userEvent.setup();
    setup();
    await screen.findByText(/Weekly timesheets for your contracts appear here/);

    const input = screen.getByLabelText('Timesheet bundle (.zip)');
    expect(input).toBe(screen.getByTestId('verify-file'));
    expect(input).toHaveAttribute('accept', '.zip');
    await user.upload(input, zip('week48.zip'));

    const result = await screen.findByTestId('verify-result');
    expect(Verify).toHaveBeenCalledWith('UEsDBA==');
    expect(result).toHaveAttribute('data-state', 'valid');
    expect(result).toHaveTextContent('Valid');
    expect(result).toHaveTextContent('week48.zip');
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
