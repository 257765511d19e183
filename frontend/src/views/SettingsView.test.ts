import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../wailsjs/go/app/SettingsAPI');
vi.mock('../../wailsjs/go/app/AboutAPI');
vi.mock('../../wailsjs/runtime/runtime', () => import('../testing/wails-runtime'));

import { Version } from '../../wailsjs/go/app/AboutAPI';
import { ChooseFolder, Get, MoveFolder, RunningApps, Set } from '../../wailsjs/go/app/SettingsAPI';
import type { node } from '../../wailsjs/go/models';
import { currentZone } from '../lib/format';
import { setDisplayZone } from '../lib/zone.svelte';
import { fieldMessage, formatBytes, listValue, SettingsStore, stillNamed } from '../stores/settings.svelte';
import SettingsView from './SettingsView.svelte';

function someSettings(values: Record<string, string> = {}): node.Settings {
  return {
    values: {
      idle_minutes: '10',
      excluded_apps: 'keepassxc',
      auto_approve_hours: '0',
      relays: '',
      bootstrap: '',
      lan_discovery: 'true',
      port_mapping: 'true',
      listen_port: '31337',
      display_zone: '',
      ...values,
    },
    next_start: ['relays', 'bootstrap', 'lan_discovery', 'port_mapping', 'listen_port'],
    data_folder: '/home/ada/.local/share/workdiary',
    used_bytes: 1_400_000,
    free_bytes: 52_000_000_000,
  } as node.Settings;
}

let saved: node.Settings;

beforeEach(() => {
  vi.resetAllMocks();
  setDisplayZone('');
  saved = someSettings();
  vi.mocked(Version).mockResolvedValue({ version: 'dev', commit: '', date: '' } as never);
  vi.mocked(Get).mockImplementation(async () => saved);
  vi.mocked(Set).mockImplementation(async (key: string, value: string) => {
    if (key === 'idle_minutes' && !/^\d+$/.test(value)) throw `idle_minutes: "${value}" is not a whole number`;
    if (key === 'idle_minutes' && Number(value) > 120) throw 'idle_minutes: must be from 1 to 120 minutes';
    if (key === 'display_zone' && value === 'Mars/Olympus')
      throw 'display_zone: "Mars/Olympus" is not a time zone name (e.g. Europe/Berlin, America/New_York, UTC)';
    saved = someSettings({ ...saved.values, [key]: value });
    return { key, value, applied: saved.next_start.includes(key) ? 'next-start' : 'now' };
  });
});

async function setup() {
  const store = new SettingsStore();
  render(SettingsView, { store });
  await screen.findByTestId('settings-recording');
  return { store, user: userEvent.setup() };
}

describe('SettingsView', () => {
  it('shows every setting, the data folder and its disk use', async () => {
    await setup();
    expect(screen.getByTestId<HTMLInputElement>('setting-idle-minutes').value).toBe('10');
    expect(screen.getByTestId<HTMLInputElement>('setting-listen-port').value).toBe('31337');
    expect(screen.getByTestId<HTMLInputElement>('setting-lan-discovery').checked).toBe(true);
    expect(screen.getByTestId('excluded-apps').textContent).toContain('keepassxc');
    expect(screen.getByTestId('settings-data-location').textContent).toBe('/home/ada/.local/share/workdiary');
    expect(screen.getByTestId('settings-disk-use').textContent).toContain('1.4 MB, 52.0 GB free');
  });

  it('saves a good value and says when it applies', async () => {
    const { user } = await setup();
    const idle = screen.getByTestId<HTMLInputElement>('setting-idle-minutes');
    await user.clear(idle);
    await user.type(idle, '25{Enter}');
    expect(Set).toHaveBeenCalledWith('idle_minutes', '25');
    expect((await screen.findByTestId('setting-idle-minutes-note')).textContent).toBe('Saved.');
    await user.click(screen.getByTestId('setting-port-mapping'));
    expect(Set).toHaveBeenCalledWith('port_mapping', 'false');
    expect((await screen.findByTestId('setting-port-mapping-note')).textContent).toContain('next starts');
  });

  it("puts Go's reason for a bad value next to the field and keeps what was typed", async () => {
    const { user } = await setup();
    const idle = screen.getByTestId<HTMLInputElement>('setting-idle-minutes');
    await user.clear(idle);
    await user.type(idle, '500{Enter}');
    const note = await screen.findByTestId('setting-idle-minutes-note');
    expect(note.textContent).toBe('Must be from 1 to 120 minutes');
    expect(note.getAttribute('role')).toBe('alert');
    expect(idle.getAttribute('aria-invalid')).toBe('true');
    expect(idle.value).toBe('500');
    expect(saved.values.idle_minutes).toBe('10');
  });

  it('excludes an app picked from the open apps and removes one', async () => {
    vi.mocked(RunningApps).mockResolvedValue([
      { name: 'keepassxc', class: 'KeePassXC' },
      { name: 'signal-desktop', class: 'Signal' },
    ]);
    const { user } = await setup();
    await user.click(screen.getByTestId('excluded-pick'));
    // keepassxc is excluded already, so only Signal is offered.
    expect(screen.queryByTestId('running-app-keepassxc')).toBeNull();
    await user.click(await screen.findByTestId('running-app-signal-desktop'));
    expect(Set).toHaveBeenLastCalledWith('excluded_apps', 'keepassxc\nsignal-desktop');
    await waitFor(() => expect(screen.getByTestId('excluded-apps').textContent).toContain('signal-desktop'));
    await user.click(screen.getByTestId('excluded-remove-keepassxc'));
    expect(Set).toHaveBeenLastCalledWith('excluded_apps', 'signal-desktop');
  });

  it('says when the open apps cannot be listed', async () => {
    vi.mocked(RunningApps).mockRejectedValue('list running apps: no X display');
    const { user } = await setup();
    await user.click(screen.getByTestId('excluded-pick'));
    expect((await screen.findByTestId('excluded-apps-error')).textContent).toContain('(list running apps: no X display)');
  });

  it('switches every time on screen to the display zone', async () => {
    const { user } = await setup();
    const zone = screen.getByTestId<HTMLInputElement>('setting-display-zone');
    await user.type(zone, 'Mars/Olympus{Enter}');
    expect((await screen.findByTestId('setting-display-zone-note')).textContent).toContain('is not a time zone name');
    await user.clear(zone);
    await user.type(zone, 'Asia/Tokyo{Enter}');
    await waitFor(() => expect(currentZone()).toBe('Asia/Tokyo'));
    expect(screen.getByTestId('settings-zone-now').textContent).toContain('Asia/Tokyo (UTC+09:00)');
  });
});

describe('settings helpers', () => {
  it('words Go refusals, lists and sizes', () => {
    expect(fieldMessage('relays', 'relays: "x" is not a multiaddr')).toBe('"x" is not a multiaddr');
    expect(fieldMessage('relays', undefined)).toContain('Something went wrong');
    expect(listValue([' a ', '', 'b'])).toBe('a\nb');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1_500_000_000)).toBe('1.5 GB');
    expect(stillNamed('', '/new')).toBe('');
    expect(stillNamed('WORKDIARY_HOME', '/new')).toContain('set it to /new, or unset it');
    expect(stillNamed('--home', '/new')).toContain('without --home, or with --home /new');
  });
});

describe('SettingsView with two fields', () => {
  it('keeps a refused value in its field while another field is saved', async () => {
    const { user } = await setup();
    const idle = screen.getByTestId<HTMLInputElement>('setting-idle-minutes');
    await user.clear(idle);
    await user.type(idle, '500{Enter}');
    await screen.findByTestId('setting-idle-minutes-note');
    const port = screen.getByTestId<HTMLInputElement>('setting-listen-port');
    await user.clear(port);
    await user.type(port, '40123{Enter}');
    await screen.findByTestId('setting-listen-port-note');
    expect(idle.value).toBe('500');
    expect(screen.getByTestId('setting-idle-minutes-note').textContent).toBe('Must be from 1 to 120 minutes');
  });
});

describe('SettingsView moving the data folder', () => {
  it('says why a place is refused and keeps the folder, then moves it and shows the new place', async () => {
    vi.mocked(MoveFolder).mockImplementation(async (to: string) => {
      if (to.startsWith(saved.data_folder)) throw `${to}: the new place is inside the data folder ${saved.data_folder}`;
      const from = saved.data_folder;
      saved = { ...someSettings(saved.values), data_folder: to } as node.Settings;
      return { from, to, copy: true, bytes: 1_400_000 } as never;
    });
    vi.mocked(ChooseFolder).mockResolvedValue('/media/ada/big/workdiary');
    const { user } = await setup();
    await user.click(screen.getByTestId('settings-move-open'));
    await user.click(screen.getByTestId('settings-move-submit'));
    expect((await screen.findByTestId('settings-move-error', {}, { timeout: 5000 })).textContent).toBe(
      'Type or choose the new place for the data folder.',
    );
    await user.type(screen.getByTestId('settings-move-to'), '/home/ada/.local/share/workdiary/inner');
    await user.click(screen.getByTestId('settings-move-submit'));
    await waitFor(() =>
      expect(screen.getByTestId('settings-move-error').textContent).toBe(
        '/home/ada/.local/share/workdiary/inner: the new place is inside the data folder /home/ada/.local/share/workdiary.',
      ),
      { timeout: 5000 },
    );
    expect(screen.getByTestId('settings-move-to').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByTestId('settings-data-location').textContent).toBe('/home/ada/.local/share/workdiary');

    await user.click(screen.getByTestId('settings-move-choose'));
    expect(screen.getByTestId<HTMLInputElement>('settings-move-to').value).toBe('/media/ada/big/workdiary');
    await user.click(screen.getByTestId('settings-move-submit'));
    expect((await screen.findByTestId('settings-move-note', {}, { timeout: 5000 })).textContent).toContain('Moved to /media/ada/big/workdiary');
    expect(screen.getByTestId('settings-data-location').textContent).toBe('/media/ada/big/workdiary');
    expect(screen.queryByTestId('settings-move')).toBeNull();
  }, 20_000);
});
