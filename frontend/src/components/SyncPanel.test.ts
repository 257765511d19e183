import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { SyncingStore } from '../stores/sync-line';
import { html } from '../testing/snippets';
import SyncPanel from './SyncPanel.svelte';

const TESTIDS = { button: 'x-sync', line: 'x-sync-line', status: 'x-sync-status' };

function setup(store: Partial<SyncingStore>, props: { done?: boolean; primary?: boolean; status?: boolean } = {}) {
  const full: SyncingStore = { syncing: false, syncLines: [], syncError: '', syncNow: vi.fn(async () => {}), ...store };
  render(SyncPanel, {
    store: full,
    done: props.done ?? false,
    primary: props.primary,
    testids: props.status === false ? { button: TESTIDS.button, line: TESTIDS.line } : TESTIDS,
    running: html('<span>Running the round</span>'),
    summary: html('<span>All done</span>'),
  });
  return { store: full, user: userEvent.setup() };
}

describe('SyncPanel', () => {
  it('syncs on click; before any round the status is empty', async () => {
    const { store, user } = setup({});

    const button = screen.getByTestId('x-sync');
    expect(button).toHaveTextContent('Sync now');
    expect(button).not.toHaveClass('primary');
    expect(screen.getByRole('status')).toBe(screen.getByTestId('x-sync-status'));
    expect(screen.getByRole('status')).toBeEmptyDOMElement();

    await user.click(button);
    expect(store.syncNow).toHaveBeenCalledTimes(1);
  });

  it('shows the running part, and no button to press, while a round runs', () => {
    setup({ syncing: true, syncLines: [{ contract: 'a', ok: true, text: 'Old line' }] }, { done: true });

    expect(screen.getByTestId('x-sync')).toBeDisabled();
    expect(screen.getByTestId('x-sync')).toHaveTextContent('Syncing…');
    expect(screen.getByRole('status')).toHaveTextContent('Running the round');
    expect(screen.queryByText('All done')).not.toBeInTheDocument();
    expect(screen.queryByTestId('x-sync-line')).not.toBeInTheDocument();
  });

  it('shows the summary above a line per contract, failed lines marked', () => {
    setup(
      {
        syncLines: [
          { contract: 'a', ok: true, text: 'Website: up to date' },
          { contract: 'b', ok: false, text: 'Logo: not reachable' },
        ],
      },
      { done: true },
    );

    expect(screen.getByRole('status')).toHaveTextContent(/^All done\s*Website: up to date\s*Logo: not reachable$/);
    const lines = screen.getAllByTestId('x-sync-line');
    expect(lines.map((l) => l.textContent)).toEqual(['Website: up to date', 'Logo: not reachable']);
    expect(lines.map((l) => l.classList.contains('failed'))).toEqual([false, true]);
  });

  it('leaves out the list when a round had no contracts', () => {
    setup({}, { done: true });
    expect(screen.getByRole('status')).toHaveTextContent('All done');
    expect(screen.queryByRole('list')).not.toBeInTheDocument();
  });

  it('shows the error of a round that could not start', () => {
    setup({ syncError: 'The network is not running' });
    expect(screen.getByRole('alert')).toHaveTextContent('The network is not running');
  });

  it('is the primary button when asked, and the status has no test id unless given', () => {
    setup({}, { primary: true, status: false });
    expect(screen.getByTestId('x-sync')).toHaveClass('primary');
    expect(screen.getByRole('status')).not.toHaveAttribute('data-testid');
  });
});
