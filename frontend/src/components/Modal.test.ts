import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { html } from '../testing/snippets';
import Modal from './Modal.svelte';

const body = html('<div><p id="what">Keep it?</p><button type="button">Yes</button><button type="button">No</button></div>');

describe('Modal', () => {
  it('closes on Esc, the close button and the backdrop', async () => {
    const onclose = vi.fn();
    const user = userEvent.setup();
    render(Modal, { title: 'Edit', testid: 'x-dialog', onclose, children: body });

    const dialog = screen.getByRole('dialog', { name: 'Edit' });
    expect(dialog).toBe(screen.getByTestId('x-dialog'));
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(screen.getByRole('button', { name: 'Close' })).toHaveFocus();

    await user.keyboard('{Escape}');
    await user.click(screen.getByRole('button', { name: 'Close' }));
    await user.click(dialog.parentElement!);
    await user.click(dialog);

    expect(onclose).toHaveBeenCalledTimes(3);
  });

  it('without onclose, waits for an answer: no close button, Esc and the backdrop do nothing', async () => {
    const user = userEvent.setup();
    render(Modal, { title: 'Welcome back', testid: 'x-dialog', describedby: 'what', size: 'narrow', children: body });

    const dialog = screen.getByRole('dialog', { name: 'Welcome back' });
    expect(dialog).toHaveAccessibleDescription('Keep it?');
    expect(dialog).toHaveClass('narrow');
    expect(screen.queryByRole('button', { name: 'Close' })).not.toBeInTheDocument();

    await user.keyboard('{Escape}');
    await user.click(dialog.parentElement!);
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it('keeps Tab inside the dialog', async () => {
    const user = userEvent.setup();
    render(Modal, { title: 'Welcome back', testid: 'x-dialog', children: body });

    expect(screen.getByRole('button', { name: 'Yes' })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('button', { name: 'No' })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('button', { name: 'Yes' })).toHaveFocus();
    await user.tab({ shift: true });
    expect(screen.getByRole('button', { name: 'No' })).toHaveFocus();
  });
});
