import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { CONTRACT_ID, OTHER_CONTRACT_ID, someContract, someSyncState } from '../testing/fixtures';
import ContractList from './ContractList.svelte';

describe('ContractList', () => {
  it('says calmly that an offline employer is awaited, in red only what needs action', () => {
    render(ContractList, {
      items: [
        someContract({ role: 'contractor', state: 'accepted-pending-delivery' }),
        someContract({ id: OTHER_CONTRACT_ID, title: 'Logo', role: 'employer', state: 'offered', counterpart: '' }),
      ],
      syncStates: {
        [CONTRACT_ID]: someSyncState({ online: false, error: 'the employer is not reachable right now', unreachable: true }),
        [OTHER_CONTRACT_ID]: someSyncState({ contract: OTHER_CONTRACT_ID, error: 'terms: the weekly limit differs' }),
      },
    });

    const [mine, theirs] = screen.getAllByTestId('contract-row').map((r) => within(r));
    const calm = mine.getByTestId('contract-sync-error');
    expect(calm).toHaveTextContent('Waiting for your employer to come online; the next sync tries again.');
    expect(calm).toHaveAttribute('data-tone', 'calm');
    expect(theirs.getByTestId('contract-sync-error')).toHaveAttribute('data-tone', 'failed');
    expect(theirs.getByTestId('contract-sync-error')).toHaveTextContent('Last sync failed: Terms: the weekly limit differs');

    // Each state explains itself on hover; the terms share one column.
    expect(mine.getByText('Accepted, not yet delivered').closest('[title]')?.getAttribute('title')).toMatch(
      /has not received the acceptance yet/,
    );
    expect(theirs.getByText('Offered, waiting for acceptance').closest('[title]')?.getAttribute('title')).toMatch(
      /starts when the contractor accepts/,
    );
    expect(mine.getByTestId('contract-online')).toHaveAttribute('title', expect.stringContaining('normal'));
  });
});
