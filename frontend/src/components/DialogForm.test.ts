import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { html } from '../testing/snippets';
import DialogForm from './DialogForm.svelte';

function setup(disabled?: boolean) {
  const onsubmit = vi.fn((event: SubmitEvent) => event.preventDefault());
  const oncancel = vi.fn();
  render(DialogForm, {
    onsubmit,
    oncancel,
    submitLabel: 'Save memo',
    submitTestid: 'x-save',
    disabled,
    children: html('<label>Memo <input type="text" /></label>'),
  });
  return { onsubmit, oncancel, user: userEvent.setup() };
}

describe('DialogForm', () => {
  it('submits from the button and from Enter in a field, and cancels', async () => {
    const { onsubmit, oncancel, user } = setup();

    await user.click(screen.getByRole('button', { name: 'Save memo' }));
    await user.type(screen.getByLabelText('Memo'), 'Footer{Enter}');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));

    expect(onsubmit).toHaveBeenCalledTimes(2);
    expect(oncancel).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('button', { name: 'Save memo' })).toBe(screen.getByTestId('x-save'));
  });

  it('turns the submit button off, not Cancel', () => {
    setup(true);
    expect(screen.getByTestId('x-save')).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeEnabled();
  });
});
