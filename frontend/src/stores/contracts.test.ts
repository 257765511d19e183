import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../wailsjs/go/app/ContractsAPI');
vi.mock('../../wailsjs/runtime/runtime', () => import('../testing/wails-runtime'));

import { Accept, Amend, End, List, Offer, Preview, Show, SyncNow, SyncStates } from '../../wailsjs/go/app/ContractsAPI';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import { CONTRACTS_CHANGED, SYNC_CHANGED, SYNC_PROGRESS, type SyncProgressEvent } from '../lib/events';
import { CONTRACT_ID, someContract, somePreview, someSyncResult, someSyncState } from '../testing/fixtures';
import {
  ContractsStore,
  EMPTY_CODE_MESSAGE,
  RELOAD_MS,
  stateLabel,
  syncLine,
  type ContractDetail,
  type OfferForm,
} from './contracts.svelte';

const list = vi.mocked(List);
const offer = vi.mocked(Offer);
const preview = vi.mocked(Preview);
const accept = vi.mocked(Accept);
const eventsOn = vi.mocked(EventsOn);
const syncStates = vi.mocked(SyncStates);
const syncNow = vi.mocked(SyncNow);

const form: OfferForm = {
  title: 'Website redesign',
  rate: '35.00',
  currency: 'USD',
  weekly_limit_hours: 40,
  over_limit: 'stop',
  screenshots: 1,
  blur: 'off',
  webcam: false,
  no_activity: false,
  manual_time: false,
};

beforeEach(() => {
  vi.resetAllMocks();
});

describe('ContractsStore.load', () => {
  it('lists contracts and picks the trackable ones', async () => {
    list.mockResolvedValue([
      someContract({ id: '1', role: 'employer', state: 'active' }),
      someContract({ id: '2', state: 'accepted-pending-delivery' }),
      someContract({ id: '3', state: 'active' }),
      someContract({ id: '4', state: 'ended' }),
    ]);
    const store = new ContractsStore();

    await store.load();

    expect(store.status).toBe('ready');
    expect(store.items).toHaveLength(4);
    expect(store.trackable.map((c) => c.id)).toEqual(['2', '3']);
  });

  it('keeps the backend message when List fails', async () => {
    list.mockRejectedValue('open contracts: disk full');
    const store = new ContractsStore();

    await store.load();

    expect(store.status).toBe('failed');
    expect(store.error).toBe('open contracts: disk full');
  });

  it('notices an offer of ours being accepted, until dismissed', async () => {
    const store = new ContractsStore();
    const offered = someContract({ role: 'employer', state: 'offered', counterpart: '' });
    list.mockResolvedValueOnce([offered, someContract({ id: 'c'.repeat(64), role: 'contractor', state: 'active' })]);
    await store.load();
    expect(store.accepted).toEqual([]);

    const active = { ...offered, state: 'active', counterpart: 'Ada Lovelace' };
    list.mockResolvedValueOnce([active]);
    await store.load();
    expect(store.accepted).toEqual([active]);

    list.mockResolvedValueOnce([active]);
    await store.load();
    expect(store.accepted).toHaveLength(1);
    store.dismissAccepted(active.id);
    expect(store.accepted).toEqual([]);
  });

  it('names every state in words', () => {
    expect(stateLabel('active')).toBe('Active');
    expect(stateLabel('accepted-pending-delivery')).toMatch(/not yet delivered/);
    expect(stateLabel('offered')).toMatch(/waiting/);
    expect(stateLabel('ended')).toBe('Ended');
  });
});

describe('ContractsStore.offer', () => {
  it('signs the offer and re-reads the list', async () => {
    offer.mockResolvedValue({
      contract: someContract({ role: 'employer', state: 'offered', counterpart: '' }),
      invite: 'wd1-invite',
      qr: 'data:image/png;base64,AAAA',
      consent: ['Rate: 35.00 USD per hour'],
    } as never);
    list.mockResolvedValue([someContract({ role: 'employer', state: 'offered' })]);
    const store = new ContractsStore();

    expect(await store.offer(form)).toBe(true);

    expect(offer).toHaveBeenCalledWith(form);
    expect(store.offerResult?.invite).toBe('wd1-invite');
    expect(store.offering).toBe(false);
    await vi.waitFor(() => expect(store.items).toHaveLength(1));
  });

  it('reports invalid terms from Go', async () => {
    offer.mockRejectedValue('invalid terms: unknown currency "XYZ"');
    const store = new ContractsStore();

    expect(await store.offer({ ...form, currency: 'XYZ' })).toBe(false);

    expect(store.offerError).toMatch(/unknown currency/);
    expect(store.offerResult).toBeNull();
  });
});

describe('ContractsStore invite flow', () => {
  it('refuses an empty code without calling Go', async () => {
    const store = new ContractsStore();

    expect(await store.review('  ')).toBe(false);

    expect(preview).not.toHaveBeenCalled();
    expect(store.inviteError).toBe(EMPTY_CODE_MESSAGE);
  });

  it('shows why a code is bad', async () => {
    preview.mockRejectedValue('invite code is damaged: checksum mismatch');
    const store = new ContractsStore();

    expect(await store.review('wd1-bad')).toBe(false);

    expect(store.inviteError).toBe('invite code is damaged: checksum mismatch');
    expect(store.preview).toBeNull();
  });

  it('accepts exactly the code that was reviewed', async () => {
    preview.mockResolvedValue(somePreview());
    accept.mockResolvedValue(someContract({ state: 'accepted-pending-delivery' }));
    list.mockResolvedValue([someContract({ state: 'accepted-pending-delivery' })]);
    const store = new ContractsStore();

    expect(await store.review('  wd1-good \n')).toBe(true);
    expect(preview).toHaveBeenCalledWith('wd1-good');
    expect(store.preview?.employer).toBe('Grace Hopper');

    const item = await store.accept();

    expect(accept).toHaveBeenCalledWith('wd1-good');
    expect(item?.id).toBe(CONTRACT_ID);
    expect(store.preview).toBeNull();
    expect(store.trackable).toHaveLength(1);
  });

  it('keeps the consent screen when Accept fails', async () => {
    preview.mockResolvedValue(somePreview());
    accept.mockRejectedValue('contract already accepted');
    const store = new ContractsStore();
    await store.review('wd1-good');

    expect(await store.accept()).toBeNull();

    expect(store.inviteError).toBe('contract already accepted');
    expect(store.preview).not.toBeNull();
    expect(store.accepting).toBe(false);
  });

  it('does not accept without a preview', async () => {
    const store = new ContractsStore();
    expect(await store.accept()).toBeNull();
    expect(accept).not.toHaveBeenCalled();
  });
});

describe('ContractsStore.subscribe', () => {
  it('re-reads the list on contracts:changed', async () => {
    const unsubscribe = vi.fn();
    eventsOn.mockReturnValue(unsubscribe);
    list.mockResolvedValue([someContract()]);
    const store = new ContractsStore();

    const off = store.subscribe();
    expect(eventsOn).toHaveBeenCalledWith(CONTRACTS_CHANGED, expect.any(Function));
    eventsOn.mock.calls[0][1]();
    await vi.waitFor(() => expect(store.items).toHaveLength(1));

    off();
    expect(unsubscribe).toHaveBeenCalled();
  });

  it('re-reads sync states on sync:changed, at most once per RELOAD_MS', async () => {
    vi.useFakeTimers();
    try {
      eventsOn.mockReturnValue(() => {});
      list.mockResolvedValue([someContract()]);
      syncStates.mockResolvedValue([someSyncState({ online: false })]);
      const store = new ContractsStore();
      await store.load();
      expect(syncStates).toHaveBeenCalledTimes(1);

      const off = store.subscribe();
      const onSync = eventsOn.mock.calls.find(([name]) => name === SYNC_CHANGED)![1];
      syncStates.mockResolvedValue([someSyncState({ online: true })]);
      onSync();
      onSync();
      onSync();
      await vi.advanceTimersByTimeAsync(RELOAD_MS - 1);
      expect(syncStates).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(syncStates).toHaveBeenCalledTimes(2);
      expect(store.syncStates[CONTRACT_ID].online).toBe(true);

      onSync();
      off();
      await vi.advanceTimersByTimeAsync(RELOAD_MS * 2);
      expect(syncStates).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('does nothing without a Wails runtime', () => {
    eventsOn.mockImplementation(() => {
      throw new TypeError('no runtime');
    });
    expect(() => new ContractsStore().subscribe()()).not.toThrow();
  });
});

describe('ContractsStore sync states', () => {
  it('loads each contract\'s sync state with the list', async () => {
    list.mockResolvedValue([someContract()]);
    syncStates.mockResolvedValue([someSyncState({ online: false, error: 'the employer is not reachable right now' })]);
    const store = new ContractsStore();

    await store.load();

    expect(store.syncStates[CONTRACT_ID]).toMatchObject({ online: false, error: 'the employer is not reachable right now' });
  });

  it('keeps the list when sync states cannot be read', async () => {
    list.mockResolvedValue([someContract()]);
    syncStates.mockRejectedValue('network not running');
    const store = new ContractsStore();

    await store.load();

    expect(store.status).toBe('ready');
    expect(store.error).toBe('');
    expect(store.syncStates).toEqual({});
  });
});

describe('ContractsStore.syncNow', () => {
  it('runs one round, one line per contract, then re-reads', async () => {
    let finish: (v: ReturnType<typeof someSyncResult>[]) => void = () => {};
    syncNow.mockReturnValue(new Promise((resolve) => (finish = resolve)));
    list.mockResolvedValue([someContract()]);
    syncStates.mockResolvedValue([someSyncState()]);
    const store = new ContractsStore();

    const done = store.syncNow();
    expect(store.syncing).toBe(true);
    void store.syncNow();
    expect(syncNow).toHaveBeenCalledTimes(1);

    finish([
      someSyncResult({ title: 'Invoice parser', seq: 12, total: 12 }),
      someSyncResult({
        contract: 'b'.repeat(64),
        title: 'Logo',
        role: 'employer',
        error: "refused by the other side: entry breaks the contract's terms: over the weekly limit",
      }),
    ]);
    await done;

    expect(store.syncing).toBe(false);
    expect(store.synced).toBe(true);
    expect(store.syncLines).toEqual([
      { contract: CONTRACT_ID, ok: true, text: 'Invoice parser: sent; your employer has received all 12 entries' },
      {
        contract: 'b'.repeat(64),
        ok: false,
        text: "Logo: Refused by the other side: entry breaks the contract's terms: over the weekly limit",
      },
    ]);
    expect(syncStates).toHaveBeenCalled();
    expect(store.syncStates[CONTRACT_ID]).toBeDefined();
  });

  it('shows how far the round has come while sync:progress arrives', async () => {
    eventsOn.mockReturnValue(() => {});
    let finish: (v: ReturnType<typeof someSyncResult>[]) => void = () => {};
    syncNow.mockReturnValue(new Promise((resolve) => (finish = resolve)));
    list.mockResolvedValue([someContract()]);
    syncStates.mockResolvedValue([someSyncState()]);
    const store = new ContractsStore();
    const off = store.subscribe();
    const onProgress = eventsOn.mock.calls.find(([name]) => name === SYNC_PROGRESS)![1];
    const step = (over: Partial<SyncProgressEvent>): SyncProgressEvent => ({
      contract: CONTRACT_ID,
      stage: 'sending',
      sent: 0,
      total: 240,
      images: 0,
      images_total: 0,
      ...over,
    });

    onProgress(step({ images: 5, images_total: 10 }));
    expect(store.syncProgress).toBeNull(); // no round of ours is running

    const done = store.syncNow();
    expect(store.syncProgress).toBeNull(); // indeterminate until the first step
    onProgress(step({ images_total: 240 }));
    onProgress(step({ images: 60, images_total: 240 }));
    expect(store.syncProgress).toBeCloseTo(0.25);
    expect(store.syncImages).toEqual({ sent: 60, total: 240 });
    onProgress(step({ stage: 'done', sent: 240, images: 240, images_total: 240 }));
    expect(store.syncProgress).toBe(1);

    finish([someSyncResult({ seq: 240, total: 240 })]);
    await done;
    expect(store.syncProgress).toBeNull();
    off();
  });

  it('says why the round could not run', async () => {
    syncNow.mockRejectedValue('the network is not running');
    const store = new ContractsStore();

    await store.syncNow();

    expect(store.syncError).toBe('The network is not running');
    expect(store.synced).toBe(false);
    expect(store.syncing).toBe(false);
  });

  it('words the employer side and untitled contracts', () => {
    expect(syncLine(someSyncResult({ role: 'employer', seq: 1, title: '' })).text).toBe(
      'Contract aaaaaaaa: you hold 1 entry from your contractor',
    );
  });
});

describe('ContractsStore.change', () => {
  const detail = (over: Partial<ContractDetail> = {}): ContractDetail =>
    ({
      ...someContract({ id: CONTRACT_ID, role: 'employer', state: 'active' }),
      employer: 'Acme',
      week_start: 'Monday 00:00 UTC',
      week_zone: 'UTC',
      review_days: 5,
      offered_rate: '35.00',
      offered_weekly_limit_hours: 40,
      changes: [],
      disputes: [],
      ...over,
    }) as ContractDetail;

  it('signs an end of the contract shown and shows it pending', async () => {
    const store = new ContractsStore();
    vi.mocked(Show).mockResolvedValue(detail());
    await store.open(CONTRACT_ID);
    const ended = detail({ changes: [{ kind: 'end', by: 'employer', at: '2026-11-25T12:00:00Z', pending: true }] as ContractDetail['changes'] });
    vi.mocked(End).mockResolvedValue(ended);
    list.mockResolvedValue([]);
    expect(await store.change('end', { reason: ' Budget ' })).toBe(true);
    expect(vi.mocked(End)).toHaveBeenCalledWith({ contract: CONTRACT_ID, reason: 'Budget', rate: '', weekly_limit_hours: -1 });
    expect(store.detail?.changes[0].pending).toBe(true);
  });

  it('keeps the refusal for the dialog', async () => {
    const store = new ContractsStore();
    vi.mocked(Show).mockResolvedValue(detail());
    await store.open(CONTRACT_ID);
    vi.mocked(Amend).mockRejectedValue('not allowed at this time: new terms from 2026-11-23 would change a week that has begun');
    expect(await store.change('amend', { weeklyLimitHours: 10 })).toBe(false);
    expect(vi.mocked(Amend)).toHaveBeenCalledWith({ contract: CONTRACT_ID, reason: '', rate: '', weekly_limit_hours: 10 });
    expect(store.detailError).toContain('week that has begun');
  });
});
