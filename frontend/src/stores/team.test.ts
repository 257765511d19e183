import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../wailsjs/go/app/TeamAPI');
vi.mock('../../wailsjs/go/app/ImagesAPI');
vi.mock('../../wailsjs/runtime/runtime', () => import('../testing/wails-runtime'));

import { Diary, List, SyncNow } from '../../wailsjs/go/app/TeamAPI';
import type { node } from '../../wailsjs/go/models';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import { addDays, rfc3339, startOfDay } from '../lib/diary';
import { CONTRACTS_CHANGED, SYNC_CHANGED } from '../lib/events';
import { CONTRACT_ID, OTHER_CONTRACT_ID, someTeamRow, syncedSegment, todayAt } from '../testing/fixtures';
import { RELOAD_MS, syncLine, TeamStore } from './team.svelte';

const list = vi.mocked(List);
const diary = vi.mocked(Diary);
const syncNow = vi.mocked(SyncNow);

const result = (over: Partial<node.SyncResult> = {}) =>
  ({ contract: CONTRACT_ID, title: 'Website redesign', role: 'employer', seq: 80, total: 0, ...over }) as node.SyncResult;

async function loaded(rows = [someTeamRow()]) {
  list.mockResolvedValue(rows);
  const store = new TeamStore();
  await store.load();
  return store;
}

beforeEach(() => {
  vi.resetAllMocks();
  diary.mockResolvedValue([]);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('TeamStore.load', () => {
  it('lists the rows, and reports a failed first read as a sentence', async () => {
    const store = await loaded([someTeamRow(), someTeamRow({ contract: OTHER_CONTRACT_ID, contractor: '' })]);
    expect(store.status).toBe('ready');
    expect(store.rows.map((r) => r.contract)).toEqual([CONTRACT_ID, OTHER_CONTRACT_ID]);

    list.mockRejectedValue('badger: closed');
    await store.load();
    expect(store.error).toBe('Badger: closed');
    expect(store.status).toBe('ready');
    expect(store.rows).toHaveLength(2);

    const fresh = new TeamStore();
    await fresh.load();
    expect(fresh.status).toBe('failed');
  });
});

describe('TeamStore diary', () => {
  it("reads the selected contractor's shown day in UTC bounds", async () => {
    const store = await loaded();
    const a = syncedSegment({ start: todayAt(9, 0) });
    const b = syncedSegment({ start: todayAt(9, 10), active: 3 });
    diary.mockResolvedValue([a, b]);

    store.open(CONTRACT_ID);
    const today = startOfDay(new Date());
    expect(diary).toHaveBeenCalledWith(CONTRACT_ID, rfc3339(today), rfc3339(addDays(today, 1)));
    await vi.waitFor(() => expect(store.diaryStatus).toBe('ready'));
    expect(store.selectedRow?.contractor).toBe('Ada Lovelace');
    expect(store.segments).toEqual([a, b]);
    expect(store.dayMinutes).toBe(20);
    expect(store.isToday).toBe(true);

    diary.mockResolvedValue([]);
    store.step(-1);
    expect(diary).toHaveBeenLastCalledWith(CONTRACT_ID, rfc3339(addDays(today, -1)), rfc3339(today));
    expect(store.diaryStatus).toBe('loading');
    await vi.waitFor(() => expect(store.diaryStatus).toBe('ready'));
    expect(store.segments).toEqual([]);
    expect(store.isToday).toBe(false);

    store.close();
    expect(store.selected).toBe('');
    expect(store.selectedRow).toBeNull();
  });

  it('ignores an older answer that arrives after a newer one, and one after closing', async () => {
    const store = await loaded();
    const a = syncedSegment({ start: todayAt(9, 0) });
    let slow!: (v: (typeof a)[]) => void;
    diary.mockReturnValueOnce(new Promise((r) => (slow = r)));
    diary.mockResolvedValueOnce([]);

    store.open(CONTRACT_ID);
    store.step(-1);
    await vi.waitFor(() => expect(store.diaryStatus).toBe('ready'));
    slow([a]);
    await Promise.resolve();
    expect(store.segments).toEqual([]);

    diary.mockReturnValueOnce(new Promise((r) => (slow = r)));
    store.today();
    store.close();
    slow([a]);
    await Promise.resolve();
    expect(store.segments).toEqual([]);
  });

  it('keeps the shown day when a re-read fails', async () => {
    const store = await loaded();
    const a = syncedSegment({ start: todayAt(9, 0) });
    diary.mockResolvedValue([a]);
    store.open(CONTRACT_ID);
    await vi.waitFor(() => expect(store.segments).toEqual([a]));

    diary.mockRejectedValue('contract log is being written');
    await store.loadDiary();
    expect(store.diaryError).toBe('Contract log is being written');
    expect(store.diaryStatus).toBe('ready');
    expect(store.segments).toEqual([a]);
  });
});

describe('TeamStore.syncNow', () => {
  it('shows syncing, then a line per contract, and re-reads the team', async () => {
    const store = await loaded([someTeamRow({ entries: 76 }), someTeamRow({ contract: OTHER_CONTRACT_ID, title: 'Logo', entries: 5 })]);
    let done!: (v: node.SyncResult[]) => void;
    syncNow.mockReturnValue(new Promise((r) => (done = r)));
    list.mockClear();

    const run = store.syncNow();
    expect(store.syncing).toBe(true);
    void store.syncNow(); // a second click while syncing does nothing
    expect(syncNow).toHaveBeenCalledTimes(1);
    done([result({ seq: 80 }), result({ contract: OTHER_CONTRACT_ID, title: 'Logo', seq: 0, error: 'reach the contractor: no addresses' })]);
    await run;

    expect(store.syncing).toBe(false);
    expect(store.syncSummary).toMatch(/^Synced 2 contracts at \d\d:\d\d; 1 failed\.$/);
    expect(store.syncLines).toEqual([
      { contract: CONTRACT_ID, ok: true, text: 'Website redesign: 4 new, 80 entries in all.' },
      { contract: OTHER_CONTRACT_ID, ok: false, text: 'Logo: Reach the contractor: no addresses' },
    ]);
    expect(list).toHaveBeenCalledTimes(1);
  });

  it('says when SyncNow itself fails', async () => {
    const store = await loaded();
    syncNow.mockRejectedValue('the network is not running');

    await store.syncNow();

    expect(store.syncError).toBe('The network is not running');
    expect(store.syncSummary).toBe('');
    expect(store.syncing).toBe(false);
  });

  it('words each kind of result', () => {
    expect(syncLine(result({ seq: 76 }), 76).text).toBe('Website redesign: up to date, 76 entries.');
    expect(syncLine(result({ seq: 1 }), undefined).text).toBe('Website redesign: up to date, 1 entry.');
    expect(syncLine(result({ role: 'contractor', seq: 40, total: 42 }), undefined).text).toBe(
      'Website redesign: your employer has received 40 of your 42 entries.',
    );
    expect(syncLine(result({ title: '' }), 0).text).toBe(`Contract ${CONTRACT_ID.slice(0, 8)}: 80 new, 80 entries in all.`);
  });
});

describe('TeamStore.subscribe', () => {
  it('re-reads on sync:changed and contracts:changed, at most once per RELOAD_MS', async () => {
    const handlers = new Map<string, () => void>();
    const off = vi.fn();
    vi.mocked(EventsOn).mockImplementation((name, cb) => {
      handlers.set(name, cb as () => void);
      return off;
    });
    vi.useFakeTimers();
    const store = await loaded();
    list.mockClear();

    const unsubscribe = store.subscribe();
    expect([...handlers.keys()]).toEqual([SYNC_CHANGED, CONTRACTS_CHANGED]);

    handlers.get(SYNC_CHANGED)!();
    handlers.get(CONTRACTS_CHANGED)!();
    handlers.get(SYNC_CHANGED)!();
    await vi.advanceTimersByTimeAsync(RELOAD_MS);
    expect(list).toHaveBeenCalledTimes(1);

    handlers.get(SYNC_CHANGED)!();
    await vi.advanceTimersByTimeAsync(RELOAD_MS - 100);
    expect(list).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(list).toHaveBeenCalledTimes(2);

    unsubscribe();
    expect(off).toHaveBeenCalledTimes(2);
  });
});
