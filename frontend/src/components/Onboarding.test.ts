import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../wailsjs/go/app/IdentityAPI');
vi.mock('../../wailsjs/runtime/runtime', () => import('../testing/wails-runtime'));

import { Create, Get } from '../../wailsjs/go/app/IdentityAPI';
import { IdentityStore } from '../stores/identity.svelte';
import { noIdentity, someIdentity } from '../testing/fixtures';
import Onboarding from './Onboarding.svelte';

const create = vi.mocked(Create);

async function setup() {
  vi.mocked(Get).mockResolvedValue(noIdentity());
  const store = new IdentityStore();
  await store.load();
  const oncreated = vi.fn();
  render(Onboarding, { store, oncreated });
  return { store, oncreated, user: userEvent.setup() };
}

beforeEach(() => {
  vi.resetAllMocks();
});

describe('Onboarding', () => {
  it('explains Workdiary and asks for a labelled name', async () => {
    await setup();

    expect(screen.getByRole('heading', { name: 'Welcome to Workdiary' })).toBeInTheDocument();
    expect(screen.getByLabelText('Your name')).toBe(screen.getByTestId('onboarding-name'));
    expect(screen.getByRole('button', { name: 'Create my identity' })).toBe(
      screen.getByTestId('onboarding-create'),
    );
  });

  it('shows an inline error for an empty name and does not call Go', async () => {
    const { user, oncreated } = await setup();

    await user.type(screen.getByTestId('onboarding-name'), '   ');
    await user.click(screen.getByTestId('onboarding-create'));

    const error = screen.getByTestId('onboarding-name-error');
    expect(error).toHaveTextContent('Enter your name');
    expect(screen.getByTestId('onboarding-name')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByTestId('onboarding-name')).toHaveAccessibleDescription(/Enter your name/);
    expect(create).not.toHaveBeenCalled();
    expect(oncreated).not.toHaveBeenCalled();

    await user.type(screen.getByTestId('onboarding-name'), 'A');
    expect(screen.queryByTestId('onboarding-name-error')).not.toBeInTheDocument();
  });

  it('creates the identity and reports success', async () => {
    const { user, store, oncreated } = await setup();
    create.mockResolvedValue(someIdentity('Ada Lovelace'));

    await user.type(screen.getByTestId('onboarding-name'), 'Ada Lovelace');
    await user.click(screen.getByTestId('onboarding-create'));

    expect(create).toHaveBeenCalledWith('Ada Lovelace');
    expect(oncreated).toHaveBeenCalledOnce();
    expect(store.exists).toBe(true);
    expect(screen.queryByTestId('error')).not.toBeInTheDocument();
  });

  it('submits with Enter', async () => {
    const { user, oncreated } = await setup();
    create.mockResolvedValue(someIdentity('Ada'));

    await user.type(screen.getByTestId('onboarding-name'), 'Ada{Enter}');

    expect(create).toHaveBeenCalledWith('Ada');
    expect(oncreated).toHaveBeenCalledOnce();
  });

  it('shows the backend error and lets the user try again', async () => {
    const { user, oncreated } = await setup();
    create.mockRejectedValue('write key: read-only file system');

    await user.type(screen.getByTestId('onboarding-name'), 'Ada');
    await user.click(screen.getByTestId('onboarding-create'));

    expect(await screen.findByTestId('error')).toHaveTextContent('Write key: read-only file system.');
    expect(oncreated).not.toHaveBeenCalled();
    expect(screen.getByTestId('onboarding-create')).toBeEnabled();
  });
});
