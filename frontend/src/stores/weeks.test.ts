import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../wailsjs/go/app/ContractsAPI');
vi.mock('../../wailsjs/runtime/runtime', () => import('../testing/wails-runtime'));

import { Weeks } from '../../wailsjs/go/app/ContractsAPI';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import * as events from '../lib/events';
import { CONTRACT_ID, OTHER_CONTRACT_ID, someWeek } from '../testing/fixtures';
import { RELOAD_MS, WeeksStore } from './weeks.svelte';

const weeksMock = vi.mocked(Weeks);
const w49 = someWeek({ week: '2026-W49', start: '2026-11-30T00:00:00Z', state: 'open', cosigned: false });
const w48 = someWeek();

beforeEach(() => {
  vi.resetAllMocks();
  vi.useRealTimers();
});

describe('WeeksStore', () => {
  it('reads a contract’s weeks and lists its closed ones for corrections', async () => {
    weeksMock.mockResolvedValue([w49, w48]);
    const store = new WeeksStore();

    await store.load(CONTRACT_ID);

    expect(Weeks).toHaveBeenCalledWith(CONTRACT_ID);
    expect(store.weeks(CONTRACT_ID)).toEqual([w49, w48]);
    expect(store.closed(CONTRACT_ID)).toEqual([w48]);
    expect(store.weeks(OTHER_CONTRACT_ID)).toEqual([]);
    expect(store.entry(CONTRACT_ID)).toMatchObject({ loading: false, error: '' });
  });

  it('keeps the weeks it had when a read fails, with the reason', async () => {
    weeksMock.mockResolvedValueOnce([w48]).mockRejectedValueOnce('contract not found');
    const store = new WeeksStore();
    await store.load(CONTRACT_ID);

    await store.load(CONTRACT_ID);

    expect(store.weeks(CONTRACT_ID)).toEqual([w48]);
    expect(store.entry(CONTRACT_ID).error).toBe('Contract not found');
  });

  it('never lets an older answer replace a newer one', async () => {
    let first!: (v: typeof w48[]) => void;
    weeksMock.mockReturnValueOnce(new Promise((r) => (first = r))).mockResolvedValueOnce([w49]);
    const store = new WeeksStore();
    const slow = store.load(CONTRACT_ID);
    await store.load(CONTRACT_ID);
    first([w48]);
    await slow;

    expect(store.weeks(CONTRACT_ID)).toEqual([w49]);
  });

  it('reads every contract it knows again after a sync, once for a burst', async () => {
    vi.useFakeTimers();
    weeksMock.mockResolvedValue([w48]);
    const store = new WeeksStore();
    await store.load(CONTRACT_ID);
    await store.load(OTHER_CONTRACT_ID);
    weeksMock.mockClear();
    const off = store.subscribe();
    const handlers = vi.mocked(EventsOn).mock.calls.filter(([name]) => name === events.SYNC_CHANGED).map(([, h]) => h as () => void);
    expect(handlers).toHaveLength(1);

    handlers[0]();
    handlers[0]();
    await vi.advanceTimersByTimeAsync(RELOAD_MS);

    expect(weeksMock.mock.calls.map(([id]) => id).sort()).toEqual([CONTRACT_ID, OTHER_CONTRACT_ID].sort());
    off();
  });
});
