import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../wailsjs/go/app/DiaryAPI');
vi.mock('../../wailsjs/go/app/ImagesAPI');
vi.mock('../../wailsjs/runtime/runtime', () => import('../testing/wails-runtime'));

import { Delete, List } from '../../wailsjs/go/app/DiaryAPI';
import { addDays, rfc3339, startOfDay, startOfWeek } from '../lib/diary';
import { OTHER_CONTRACT_ID, someSegment, todayAt } from '../testing/fixtures';
import { DiaryStore } from './diary.svelte';

const list = vi.mocked(List);

const a = someSegment({ start: todayAt(10, 0) });
const b = someSegment({ start: todayAt(10, 10), state: 'approved', entry: 4 });
const c = someSegment({ start: todayAt(10, 20), contract: OTHER_CONTRACT_ID });
const yesterday = someSegment({ start: new Date(addDays(startOfDay(new Date()), -1).getTime() + 9 * 3600_000) });

async function loaded(segs = [a, b, c]) {
  list.mockResolvedValue(segs);
  const store = new DiaryStore();
  await store.load();
  return store;
}

beforeEach(() => {
  vi.resetAllMocks();
  vi.mocked(Delete).mockResolvedValue({ changed: [] });
});

describe('DiaryStore.load', () => {
  it("reads the shown day's week in UTC bounds and keeps the day's segments", async () => {
    const week = startOfWeek(new Date());
    const store = await loaded([a, b, c]);

    expect(list).toHaveBeenCalledWith(rfc3339(week), rfc3339(addDays(week, 7)), '');
    expect(rfc3339(week)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(store.status).toBe('ready');
    expect(store.segments.map((s) => s.id)).toEqual([a.id, b.id, c.id]);
    expect(store.dayMinutes).toBe(30);
    expect(store.approvedMinutes).toBe(10);
  });

  it('counts the week beyond the shown day and re-reads only when the week changes', async () => {
    const store = await loaded([yesterday, a]);
    expect(store.weekMinutes).toBe(startOfWeek(new Date()).getTime() === startOfDay(new Date()).getTime() ? 10 : 20);

    list.mockClear();
    store.step(-1);
    if (startOfWeek(store.day).getTime() === startOfWeek(new Date()).getTime()) {
      expect(list).not.toHaveBeenCalled();
      expect(store.segments.map((s) => s.id)).toEqual([yesterday.id]);
    } else {
      expect(list).toHaveBeenCalledTimes(1);
    }
    store.today();
    expect(store.isToday).toBe(true);
  });

  it('filters by contract', async () => {
    const store = await loaded();
    list.mockResolvedValue([c]);

    store.setContract(OTHER_CONTRACT_ID);

    expect(list).toHaveBeenLastCalledWith(expect.any(String), expect.any(String), OTHER_CONTRACT_ID);
    await vi.waitFor(() => expect(store.segments).toEqual([c]));
  });

  it('reports a failed read as a sentence and keeps what was shown', async () => {
    const store = await loaded();
    list.mockRejectedValue('diary database is locked');

    await store.load();

    expect(store.loadError).toBe('Diary database is locked');
    expect(store.status).toBe('ready');
    expect(store.segments).toHaveLength(3);
  });

  it('ignores an older answer that arrives after a newer one', async () => {
    let slow!: (v: typeof a[]) => void;
    list.mockReturnValueOnce(new Promise((r) => (slow = r)));
    list.mockResolvedValueOnce([b]);
    const store = new DiaryStore();

    const first = store.load();
    await store.load();
    slow([a]);
    await first;

    expect(store.segments).toEqual([b]);
  });
});

describe('DiaryStore selection', () => {
  it('toggles, adds ranges, clears, and forgets what disappears', async () => {
    const store = await loaded();

    store.toggle(a.id);
    store.selectMany([b.id, c.id]);
    expect([...store.selection]).toEqual([a.id, b.id, c.id]);
    expect(store.selectedRecorded.map((s) => s.id)).toEqual([a.id, c.id]);
    store.toggle(b.id);
    expect(store.selection.has(b.id)).toBe(false);

    list.mockResolvedValue([c]);
    await store.load();
    expect([...store.selection]).toEqual([c.id]);

    store.clearSelection();
    expect(store.selection.size).toBe(0);
  });

  it('clears the selection when the day changes', async () => {
    const store = await loaded();
    store.toggle(a.id);
    store.step(-1);
    expect(store.selection.size).toBe(0);
  });
});
