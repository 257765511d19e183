import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { dayKey, formatDay, startOfDay } from '../lib/diary';
import type { DayStepper } from '../stores/diary-source';
import DayNav from './DayNav.svelte';

function setup(over: Partial<DayStepper> = {}, heading: 'h2' | 'h3' = 'h2') {
  const store: DayStepper = {
    day: startOfDay(new Date(2026, 2, 4)),
    isToday: false,
    setDay: vi.fn(),
    step: vi.fn(),
    today: vi.fn(),
    ...over,
  };
  render(DayNav, { store, testid: 'x', heading });
  return { store, user: userEvent.setup() };
}

describe('DayNav', () => {
  it('names its controls and shows the day as a heading of the level asked', () => {
    setup({}, 'h3');

    expect(screen.getByRole('group', { name: 'Day' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Previous day' })).toBe(screen.getByTestId('x-prev'));
    expect(screen.getByRole('button', { name: 'Today' })).toBe(screen.getByTestId('x-today'));
    expect(screen.getByRole('button', { name: 'Next day' })).toBe(screen.getByTestId('x-next'));
    const heading = screen.getByRole('heading', { level: 3 });
    expect(heading).toBe(screen.getByTestId('x-date'));
    expect(heading).toHaveTextContent(formatDay(new Date(2026, 2, 4)));
    const input = screen.getByLabelText('Go to date');
    expect(input).toBe(screen.getByTestId('x-date-input'));
    expect(input).toHaveValue('2026-03-04');
    expect(input).toHaveAttribute('max', dayKey(new Date()));
  });

  it('steps back and forth and goes to today', async () => {
    const { store, user } = setup();

    await user.click(screen.getByTestId('x-prev'));
    await user.click(screen.getByTestId('x-next'));
    await user.click(screen.getByTestId('x-today'));

    expect(vi.mocked(store.step).mock.calls).toEqual([[-1], [1]]);
    expect(store.today).toHaveBeenCalledTimes(1);
  });

  it('offers no day after today', () => {
    setup({ isToday: true });
    expect(screen.getByTestId('x-next')).toBeDisabled();
    expect(screen.getByTestId('x-today')).toBeDisabled();
    expect(screen.getByTestId('x-prev')).toBeEnabled();
  });

  it('goes to a picked date as a local day, and ignores a cleared one', async () => {
    const { store } = setup();
    const input = screen.getByTestId('x-date-input') as HTMLInputElement;

    input.value = '2026-01-05';
    input.dispatchEvent(new Event('change', { bubbles: true }));
    input.value = '';
    input.dispatchEvent(new Event('change', { bubbles: true }));

    expect(vi.mocked(store.setDay).mock.calls).toEqual([[new Date(2026, 0, 5)]]);
  });
});
