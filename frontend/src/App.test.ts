import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../wailsjs/go/app/IdentityAPI');
vi.mock('../wailsjs/go/app/ContractsAPI');
vi.mock('../wailsjs/go/app/TrackerAPI');
vi.mock('../wailsjs/go/app/ImagesAPI');
vi.mock('../wailsjs/go/app/DiaryAPI');
vi.mock('../wailsjs/go/app/TeamAPI');
vi.mock('../wailsjs/go/app/AboutAPI');
vi.mock('../wailsjs/go/app/AgentAPI');
vi.mock('../wailsjs/runtime/runtime', () => import('./testing/wails-runtime'));

import { Version } from '../wailsjs/go/app/AboutAPI';
import { Opening } from '../wailsjs/go/app/AgentAPI';
import { List } from '../wailsjs/go/app/ContractsAPI';
import { List as Diary } from '../wailsjs/go/app/DiaryAPI';
import { Create, Get } from '../wailsjs/go/app/IdentityAPI';
import { List as Team } from '../wailsjs/go/app/TeamAPI';
import { AnswerIdle, Status } from '../wailsjs/go/app/TrackerAPI';
import { EventsOn } from '../wailsjs/runtime/runtime';
import App from './App.svelte';
import { TRACKER_IDLE } from './lib/events';
import { VIEWS } from './lib/views';
import { contracts } from './stores/contracts.svelte';
import { roles } from './stores/roles.svelte';
import { noIdentity, someContract, someIdentity, someStatus } from './testing/fixtures';

const get = vi.mocked(Get);

beforeEach(() => {
  vi.resetAllMocks();
  localStorage.clear();
  roles.intent = '';
  contracts.accepted = [];
  vi.mocked(List).mockResolvedValue([]);
  vi.mocked(Diary).mockResolvedValue([]);
  vi.mocked(Status).mockResolvedValue(someStatus());
  vi.mocked(Team).mockResolvedValue([]);
  vi.mocked(Version).mockResolvedValue({
    version: '0.1.0',
    commit: '1a2b3c4d5e6f7a8b9c0d',
    date: '2026-12-04T23:00:00Z',
    go: 'go1.26.8',
    platform: 'linux/amd64',
  });
});

describe('App', () => {
  it('opens on the Diary at the segment a screenshot notification named', async () => {
    get.mockResolvedValue(someIdentity());
    const start = '2026-11-20T14:30:00Z';
    vi.mocked(Opening).mockResolvedValue({ segment: `c1@${start}`, contract: 'c1', start } as never);
    render(App);
    expect(await screen.findByTestId('view-diary')).toBeInTheDocument();
    await vi.waitFor(() => expect(vi.mocked(Diary)).toHaveBeenCalled());
    const [from, , contract] = vi.mocked(Diary).mock.calls.at(-1)!;
    expect(contract).toBe('c1');
    expect(new Date(from).getTime()).toBeLessThanOrEqual(new Date(start).getTime());
    expect(new Date(start).getTime() - new Date(from).getTime()).toBeLessThan(7 * 24 * 3600 * 1000);
  });


  it('shows onboarding instead of the nav on first run', async () => {
    get.mockResolvedValue(noIdentity());
    render(App);

    expect(await screen.findByTestId('onboarding-name')).toBeInTheDocument();
    expect(screen.queryByTestId('nav-tracker')).not.toBeInTheDocument();
  });

  it('takes a new contractor to their first step, with only their screens', async () => {
    get.mockResolvedValue(noIdentity());
    vi.mocked(Create).mockResolvedValue(someIdentity('Ada Lovelace'));
    const user = userEvent.setup();
    render(App);

    await user.type(await screen.findByTestId('onboarding-name'), 'Ada Lovelace');
    await user.click(screen.getByTestId('onboarding-create'));

    expect(await screen.findByTestId('view-contracts')).toHaveTextContent('paste the invite code your employer sent you');
    expect(screen.getByTestId('nav-contracts')).toHaveAttribute('aria-current', 'page');
    expect(screen.getByTestId('nav-tracker')).toBeInTheDocument();
    expect(screen.queryByTestId('nav-team')).not.toBeInTheDocument();
    expect(screen.queryByTestId('offer-new')).not.toBeInTheDocument();
    expect(screen.getByTestId('offer-hire')).toBeInTheDocument();
  });

  it('takes a new employer to their first offer, without the contractor screens', async () => {
    get.mockResolvedValue(noIdentity());
    vi.mocked(Create).mockResolvedValue(someIdentity('Grace Hopper'));
    const user = userEvent.setup();
    render(App);

    await user.click(await screen.findByTestId('onboarding-employer'));
    expect(screen.getByTestId('onboarding-about')).toHaveTextContent('Your contractors’ approved hours arrive signed');
    await user.type(screen.getByTestId('onboarding-name'), 'Grace Hopper');
    await user.click(screen.getByTestId('onboarding-create'));

    expect(await screen.findByTestId('view-contracts')).toHaveTextContent('Hire your first contractor');
    expect(screen.getByTestId('nav-team')).toBeInTheDocument();
    expect(screen.queryByTestId('nav-tracker')).not.toBeInTheDocument();
    expect(screen.queryByTestId('nav-diary')).not.toBeInTheDocument();
    expect(screen.queryByTestId('invite-open')).not.toBeInTheDocument();
  });

  it('opens an employer with a running contract on Team', async () => {
    get.mockResolvedValue(someIdentity());
    vi.mocked(List).mockResolvedValue([someContract({ role: 'employer', state: 'active' })]);
    render(App);

    expect(await screen.findByTestId('view-team')).toBeInTheDocument();
    expect(screen.queryByTestId('nav-tracker')).not.toBeInTheDocument();
    expect(screen.queryByTestId('nav-diary')).not.toBeInTheDocument();
  });

  it('tells the employer on any screen that an offer was accepted, and opens Team from there', async () => {
    get.mockResolvedValue(someIdentity());
    const offered = someContract({ role: 'employer', state: 'offered', counterpart: '' });
    vi.mocked(List).mockResolvedValue([offered]);
    const user = userEvent.setup();
    render(App);
    await user.click(await screen.findByTestId('nav-timesheets'));

    vi.mocked(List).mockResolvedValue([{ ...offered, state: 'active', counterpart: 'Ada Lovelace' }]);
    await contracts.load();

    expect(await screen.findByTestId('accepted-notice')).toHaveTextContent('Ada Lovelace accepted “Website redesign”.');
    await user.click(screen.getByTestId('accepted-open'));
    expect(screen.getByTestId('view-team')).toBeInTheDocument();
    expect(screen.queryByTestId('accepted-notice')).not.toBeInTheDocument();
  });

  it('opens a contractor with a contract on Tracker, without Team', async () => {
    get.mockResolvedValue(someIdentity());
    vi.mocked(List).mockResolvedValue([someContract({ role: 'contractor', state: 'active' })]);
    render(App);

    expect(await screen.findByTestId('view-tracker')).toBeInTheDocument();
    expect(screen.queryByTestId('nav-team')).not.toBeInTheDocument();
    expect(screen.getByTestId('nav-timesheets')).toBeInTheDocument();
  });

  it('shows every identity field in Settings', async () => {
    const id = someIdentity();
    get.mockResolvedValue(id);
    const user = userEvent.setup();
    render(App);

    await user.click(await screen.findByTestId('nav-settings'));

    expect(screen.getByTestId('settings-name')).toHaveTextContent(id.name);
    expect(screen.getByTestId('settings-peer-id')).toHaveTextContent(id.peer_id);
    expect(screen.getByTestId('settings-fingerprint')).toHaveTextContent(id.fingerprint);
    expect(screen.getByTestId('settings-ssh-key')).toHaveTextContent(id.ssh_public_key);
    expect(screen.getByTestId('settings-data-folder')).toHaveTextContent(id.data_folder);
    expect(screen.getByRole('button', { name: 'Copy OpenSSH public key' })).toBeInTheDocument();
  });

  it('says which build runs in Settings → About', async () => {
    get.mockResolvedValue(someIdentity());
    const user = userEvent.setup();
    render(App);

    await user.click(await screen.findByTestId('nav-settings'));

    expect(await screen.findByTestId('about-version')).toHaveTextContent('Workdiary 0.1.0');
    expect(screen.getByTestId('about-commit')).toHaveTextContent('1a2b3c4d5e6f');
    expect(screen.getByTestId('about-date')).toHaveTextContent('2026-12-04T23:00:00Z · linux/amd64');
  });

  it('moves between every screen from the nav, marking the current one', async () => {
    get.mockResolvedValue(someIdentity());
    vi.mocked(List).mockResolvedValue([
      someContract({ id: 'a'.repeat(64), role: 'contractor', state: 'active' }),
      someContract({ id: 'b'.repeat(64), role: 'employer', state: 'offered' }),
    ]);
    const user = userEvent.setup();
    render(App);
    expect(await screen.findByTestId('view-tracker')).toBeInTheDocument();

    for (const { id } of VIEWS) {
      await user.click(screen.getByTestId(`nav-${id}`));
      expect(screen.getByTestId(`view-${id}`)).toBeInTheDocument();
      const current = screen.getAllByRole('button', { current: 'page' });
      expect(current).toEqual([screen.getByTestId(`nav-${id}`)]);
    }
  });

  it('says what each empty screen is for', async () => {
    get.mockResolvedValue(someIdentity());

    render(App);

    expect(await screen.findByTestId('view-contracts')).toHaveTextContent(
      'No contracts yet — create an offer as an employer, or paste an invite you received.',
    );
  });

  it('reports a failed start and retries', async () => {
    get.mockRejectedValueOnce('open data folder: permission denied');
    get.mockResolvedValueOnce(someIdentity());
    const user = userEvent.setup();
    render(App);

    expect(await screen.findByTestId('error')).toHaveTextContent('permission denied');
    await user.click(screen.getByTestId('retry'));
    expect(await screen.findByTestId('view-contracts')).toBeInTheDocument();
  });

  it('asks the idle question on any screen', async () => {
    get.mockResolvedValue(someIdentity());
    vi.mocked(List).mockResolvedValue([someContract({ role: 'contractor', state: 'active' })]);
    vi.mocked(AnswerIdle).mockResolvedValue();
    const user = userEvent.setup();
    render(App);
    await user.click(await screen.findByTestId('nav-diary'));

    const idle = vi.mocked(EventsOn).mock.calls.find((c) => c[0] === TRACKER_IDLE)![1];
    idle({ kind: 'idle-question', message: 'You were idle from 10:30 to 10:42.' });

    expect(await screen.findByTestId('idle-dialog')).toHaveTextContent('You were idle from 10:30 to 10:42.');
    await user.click(screen.getByTestId('idle-keep'));
    expect(AnswerIdle).toHaveBeenCalledWith(true);
  });
});
