import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../wailsjs/go/app/AgentAPI');
vi.mock('../../wailsjs/runtime/runtime', () => import('../testing/wails-runtime'));

import { SetAutostart, SetNotification, Settings } from '../../wailsjs/go/app/AgentAPI';
import type { AgentSettings } from '../stores/agent.svelte';
import SettingsAgent from './SettingsAgent.svelte';

function settings(over: Partial<AgentSettings> = {}): AgentSettings {
  return {
    notifications: { screenshot: true, idle: true, limit: true, sync: true, acceptance: true },
    autostart: false,
    autostart_set: false,
    screenshots_required: false,
    ...over,
  } as AgentSettings;
}

beforeEach(() => {
  vi.resetAllMocks();
});

describe('SettingsAgent', () => {
  it('switches a kind of notification off', async () => {
    vi.mocked(Settings).mockResolvedValue(settings());
    vi.mocked(SetNotification).mockResolvedValue(
      settings({ notifications: { screenshot: true, idle: true, limit: false, sync: true, acceptance: true } }),
    );
    render(SettingsAgent);
    const limit = await screen.findByTestId('notify-limit');
    await waitFor(() => expect(limit).toBeEnabled());
    expect(limit).toBeChecked();

    await userEvent.setup().click(limit);

    expect(SetNotification).toHaveBeenCalledWith('limit', false);
    await waitFor(() => expect(screen.getByTestId('notify-limit')).not.toBeChecked());
  });

  it('keeps the screenshot notice on while a contract requires screenshots, and says why', async () => {
    vi.mocked(Settings).mockResolvedValue(settings({ screenshots_required: true }));
    render(SettingsAgent);
    await waitFor(() => expect(screen.getByTestId('notify-idle')).toBeEnabled());
    expect(screen.getByTestId('notify-screenshot')).toBeDisabled();
    expect(screen.getByTestId('notify-screenshot')).toBeChecked();
    expect(screen.getByText(/requires screenshots/)).toBeInTheDocument();
  });

  it('switches autostart, and shows a backend error next to it', async () => {
    vi.mocked(Settings).mockResolvedValue(settings());
    vi.mocked(SetAutostart).mockRejectedValue('write autostart entry: permission denied');
    render(SettingsAgent);
    const box = await screen.findByTestId('autostart');
    await waitFor(() => expect(box).toBeEnabled());
    expect(screen.getByText(/On by default once a contract is accepted/)).toBeInTheDocument();

    await userEvent.setup().click(box);

    expect(SetAutostart).toHaveBeenCalledWith(true);
    expect(await screen.findByRole('alert')).toHaveTextContent('permission denied');
    expect(screen.getByTestId('autostart')).not.toBeChecked();
  });
});
