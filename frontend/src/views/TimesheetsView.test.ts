import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../wailsjs/go/app/TeamAPI', () => ({ List: vi.fn(), Diary: vi.fn(), SyncNow: vi.fn() }));
vi.mock('../../wailsjs/go/app/ImagesAPI', () => ({ DataURL: vi.fn() }));
vi.mock('../../wailsjs/runtime/runtime', () => ({ EventsOn: vi.fn(() => () => {}) }));

import { List } from '../../wailsjs/go/app/TeamAPI';
import { isoWeek } from '../lib/diary';
import { TeamStore } from '../stores/team.svelte';
import { CONTRACT_ID, someTeamRow } from '../testing/fixtures';
import TimesheetsView from './TimesheetsView.svelte';

const OTHER = 'b'.repeat(64);

function setup() {
  const navigate = vi.fn();
  render(TimesheetsView, { store: new TeamStore(), navigate });
  return { navigate };
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
      someTeamRow({ contract: OTHER, title: 'Logo', contractor: '', state: 'offered', week_minutes: 0, weekly_limit_hours: 0 }),
    ]);
    const writeText = vi.fn(async () => {});
    const user = userEvent.setup();
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
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
    expect(rows[0]).toHaveTextContent('Export a signed timesheet:');

    await user.click(ada.getByTestId('timesheet-copy-command'));
    expect(writeText).toHaveBeenCalledWith(cmd);
    expect(await ada.findByText('Copied')).toBeInTheDocument();

    expect(logo.getByTestId('timesheet-week-hours')).toHaveTextContent('0:00 h');
    expect(logo.queryByTestId('timesheet-command')).not.toBeInTheDocument();
    expect(rows[1]).toHaveTextContent('No timesheet until the offer is accepted.');
  });
});
