import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../wailsjs/go/app/ContractsAPI');
vi.mock('../../wailsjs/runtime/runtime', () => import('../testing/wails-runtime'));

import { Weeks } from '../../wailsjs/go/app/ContractsAPI';
import { node } from '../../wailsjs/go/models';
import { formatDateTime } from '../lib/format';
import { WeeksStore } from '../stores/weeks.svelte';
import { CONTRACT_ID, someWeek } from '../testing/fixtures';
import ContractWeeks from './ContractWeeks.svelte';

const open = someWeek({ week: '2026-W50', start: '2026-12-07T00:00:00Z', state: 'open', cosigned: false, closed_size: 0, review_until: undefined });
const closing = someWeek({ week: '2026-W49', start: '2026-11-30T00:00:00Z', state: 'closing', cosigned: false, closed_size: 0, review_until: undefined, unapproved: 2 });
const dispute = node.DisputeView.createFrom({
  id: 'd1',
  at: '2026-12-02T10:00:00Z',
  reason: 'Not this project',
  segments_minutes: 10,
  answers: [{ at: '2026-12-02T12:00:00Z', text: 'It was the release' }],
});
const closed = someWeek({ disputes: [dispute] });
const older = someWeek({ week: '2026-W47', start: '2026-11-16T00:00:00Z' });

beforeEach(() => {
  vi.resetAllMocks();
  vi.mocked(Weeks).mockResolvedValue([open, closing, closed, older]);
});

describe('ContractWeeks', () => {
  it('shows each week open, closing or closed, with what is unapproved, the close and its disputes', async () => {
    render(ContractWeeks, { contract: CONTRACT_ID, side: 'contractor', store: new WeeksStore() });

    const rows = await screen.findAllByTestId('week-row');
    expect(Weeks).toHaveBeenCalledWith(CONTRACT_ID);
    expect(rows.map((r) => [r.dataset.week, r.dataset.state])).toEqual([
      ['2026-W50', 'open'],
      ['2026-W49', 'closing'],
      ['2026-W48', 'closed'],
    ]);
    expect(within(rows[1]).getByTestId('week-state')).toHaveTextContent('Closing');
    expect(within(rows[1]).getByTestId('week-detail')).toHaveTextContent(
      `Closing on ${formatDateTime(closing.deadline)}: late approvals until then. 2 segments still unapproved`,
    );
    expect(rows[2]).toHaveTextContent('23 Nov – 29 Nov 2026');
    expect(within(rows[2]).getByTestId('week-detail')).toHaveTextContent('Closed at log size 12, cosigned by both parties.');
    const d = within(rows[2]).getByTestId('week-dispute');
    expect(d).toHaveTextContent('10 min disputed: Not this project');
    expect(within(d).getByTestId('week-answer')).toHaveTextContent('It was the release');
  });

  it('keeps older weeks behind "Show all", and the employer reads no unapproved count', async () => {
    const user = userEvent.setup();
    render(ContractWeeks, { contract: CONTRACT_ID, side: 'employer', store: new WeeksStore() });
    await screen.findAllByTestId('week-row');
    expect(screen.getByTestId('contract-weeks')).not.toHaveTextContent('unapproved');

    await user.click(screen.getByTestId('weeks-toggle'));

    expect(screen.getAllByTestId('week-row').map((r) => r.dataset.week)).toContain('2026-W47');
    expect(screen.getByTestId('weeks-toggle')).toHaveTextContent('Show fewer weeks');
  });
});
