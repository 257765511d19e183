import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { flushSync } from 'svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../wailsjs/go/app/TrackerAPI');
vi.mock('../../wailsjs/go/app/ImagesAPI');
vi.mock('../../wailsjs/runtime/runtime', () => import('../testing/wails-runtime'));

import { AnswerIdle, Status } from '../../wailsjs/go/app/TrackerAPI';
import { TRACKER_IDLE } from '../lib/events';
import { TrackerStore } from '../stores/tracker.svelte';
import { runningStatus } from '../testing/fixtures';
import IdleDialog from './IdleDialog.svelte';

function setup() {
  const store = new TrackerStore();
  render(IdleDialog, { store });
  return { store, user: userEvent.setup() };
}

function ask(store: TrackerStore) {
  flushSync(() =>
    store.handle(TRACKER_IDLE, { kind: 'idle-question', message: 'You were idle from 10:30 to 10:42.' }),
  );
}

beforeEach(() => {
  vi.resetAllMocks();
  vi.mocked(Status).mockResolvedValue(runningStatus());
  vi.mocked(AnswerIdle).mockResolvedValue();
});

describe('IdleDialog', () => {
  it('stays closed until Go asks', () => {
    setup();
    expect(screen.queryByTestId('idle-dialog')).not.toBeInTheDocument();
  });

  it('asks in words, as a labelled modal dialog with focus on the safe choice, Discard', () => {
    const { store } = setup();
    ask(store);

    const dialog = screen.getByRole('dialog', { name: 'Welcome back' });
    expect(dialog).toBe(screen.getByTestId('idle-dialog'));
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(dialog).toHaveAccessibleDescription(
      'You were idle from 10:30 to 10:42. Keep this time or discard it?',
    );
    expect(screen.getByTestId('idle-discard')).toHaveFocus();
  });

  it('keeps the idle time', async () => {
    const { store, user } = setup();
    ask(store);

    await user.click(screen.getByTestId('idle-keep'));

    expect(AnswerIdle).toHaveBeenCalledWith(true);
    expect(screen.queryByTestId('idle-dialog')).not.toBeInTheDocument();
  });

  it('discards the idle time when Enter is pressed at once', async () => {
    const { store, user } = setup();
    ask(store);

    await user.keyboard('{Enter}');

    expect(AnswerIdle).toHaveBeenCalledWith(false);
    expect(screen.queryByTestId('idle-dialog')).not.toBeInTheDocument();
  });

  it('keeps the idle time from the keyboard', async () => {
    const { store, user } = setup();
    ask(store);

    await user.tab({ shift: true });
    expect(screen.getByTestId('idle-keep')).toHaveFocus();
    await user.keyboard('{Enter}');

    expect(AnswerIdle).toHaveBeenCalledWith(true);
  });
});
