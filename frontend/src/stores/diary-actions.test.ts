import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../wailsjs/go/app/DiaryAPI');
vi.mock('../../wailsjs/go/app/ImagesAPI');
vi.mock('../../wailsjs/runtime/runtime', () => import('../testing/wails-runtime'));

import { AddManual, Approve, Blur, Delete, DeleteWebcam, List, SetMemo } from '../../wailsjs/go/app/DiaryAPI';
import { DataURL } from '../../wailsjs/go/app/ImagesAPI';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import { node } from '../../wailsjs/go/models';
import { rfc3339Local } from '../lib/diary';
import * as events from '../lib/events';
import { CONTRACT_ID, OTHER_CONTRACT_ID, someImage, someLogStatus, someSegment, todayAt } from '../testing/fixtures';
import { DiaryStore, EMPTY_MEMO_MESSAGE, RELOAD_MS, UNDO_MS } from './diary.svelte';

const list = vi.mocked(List);

const a = someSegment({ start: todayAt(10, 0) });
const b = someSegment({ start: todayAt(10, 10), state: 'approved', entry: 4 });
const c = someSegment({
  start: todayAt(10, 20),
  contract: OTHER_CONTRACT_ID,
  webcam: [someImage({ hash: 'cam', thumb: 'cam-thumb', width: 640, height: 480 })],
});

async function loaded(segs = [a, b, c]) {
  list.mockResolvedValue(segs);
  const store = new DiaryStore();
  await store.load();
  list.mockClear();
  return store;
}

beforeEach(() => {
  vi.resetAllMocks();
  vi.useRealTimers();
});

describe('DiaryStore curation', () => {
  it('deletes the selection, says what was voided, reloads and clears the selection', async () => {
    vi.mocked(Delete).mockResolvedValue({ changed: [a.id, b.id], voided: [5] });
    vi.mocked(DataURL).mockResolvedValue('data:image/webp;base64,T');
    const store = await loaded();
    await store.images.loadThumb(a.screenshots[0].thumb!);
    store.selectMany([a.id, b.id]);

    expect(await store.delete()).toBe(true);

    expect(Delete).toHaveBeenCalledWith([a.id, b.id]);
    expect(store.statusText).toBe('Deleted 2 segments; approved time voided by log entry 5.');
    expect(list).toHaveBeenCalledTimes(1);
    expect(store.selection.size).toBe(0);
    expect(store.images.thumbs.has(a.screenshots[0].thumb!)).toBe(false);
  });

  it("shows Go's refusal as a sentence, reloads, and keeps the selection", async () => {
    vi.mocked(Blur).mockRejectedValue('this contract does not allow blurring screenshots');
    const store = await loaded();
    store.toggle(a.id);

    expect(await store.blur()).toBe(false);

    expect(Blur).toHaveBeenCalledWith([a.id], '');
    expect(store.error).toBe('This contract does not allow blurring screenshots');
    expect(store.busy).toBe(false);
    expect(list).toHaveBeenCalledTimes(1);
    expect(store.selection.has(a.id)).toBe(true);
  });

  it('adds manual time that corrects a closed week, and says so', async () => {
    vi.mocked(AddManual).mockResolvedValue({ changed: ['x'] });
    const store = await loaded();
    const from = todayAt(8, 0);

    expect(await store.addManual(CONTRACT_ID, from, todayAt(8, 10), 'Deploy left over', '2026-W47')).toBe(true);

    expect(AddManual).toHaveBeenCalledWith(CONTRACT_ID, rfc3339Local(from), rfc3339Local(todayAt(8, 10)), 'Deploy left over', '2026-W47');
    expect(store.statusText).toBe('Added 1 segment of manual time, correcting 2026-W47.');
  });

  it('edits only recorded segments: webcam, blur and memo skip approved ones', async () => {
    vi.mocked(DeleteWebcam).mockResolvedValue({ changed: [c.id] });
    vi.mocked(SetMemo).mockResolvedValue({ changed: [a.id, c.id] });
    const store = await loaded();
    store.selectMany([a.id, b.id, c.id]);

    await store.deleteWebcam();
    expect(DeleteWebcam).toHaveBeenCalledWith([a.id, c.id]);

    store.selectMany([a.id, b.id, c.id]);
    await store.setMemo('  Footer  ');
    expect(SetMemo).toHaveBeenCalledWith([a.id, c.id], 'Footer');
    expect(store.statusText).toBe('Changed the memo of 2 segments.');
  });

  it('refuses an empty memo without calling Go', async () => {
    const store = await loaded();
    store.toggle(a.id);

    expect(await store.setMemo('   ')).toBe(false);

    expect(store.error).toBe(EMPTY_MEMO_MESSAGE);
    expect(SetMemo).not.toHaveBeenCalled();
  });

  it('adds manual time as RFC 3339 in the local zone and keeps the selection', async () => {
    vi.mocked(AddManual).mockResolvedValue({ changed: ['x', 'y'] });
    const store = await loaded();
    store.toggle(a.id);
    const from = todayAt(8, 0);
    const to = todayAt(8, 20);

    expect(await store.addManual(CONTRACT_ID, from, to, ' Call with Grace ')).toBe(true);

    expect(AddManual).toHaveBeenCalledWith(
      CONTRACT_ID,
      rfc3339Local(from),
      rfc3339Local(to),
      'Call with Grace',
      '',
    );
    expect(store.statusText).toBe('Added 2 segments of manual time.');
    expect(store.selection.has(a.id)).toBe(true);
  });

  it('checks manual time before calling Go', async () => {
    const store = await loaded();

    expect(await store.addManual(CONTRACT_ID, todayAt(9, 0), todayAt(8, 0), 'x')).toBe(false);
    expect(store.error).toBe('The end must be after the start.');
    expect(await store.addManual('', todayAt(8, 0), todayAt(9, 0), 'x')).toBe(false);
    expect(await store.addManual(CONTRACT_ID, todayAt(8, 0), todayAt(9, 0), ' ')).toBe(false);
    expect(store.error).toBe(EMPTY_MEMO_MESSAGE);
    expect(AddManual).not.toHaveBeenCalled();
  });

  it("passes Go's overlap refusal through", async () => {
    vi.mocked(AddManual).mockRejectedValue('the diary already has time at 2024-05-06 10:00: manual time may not overlap it');
    const store = await loaded();

    expect(await store.addManual(CONTRACT_ID, todayAt(8, 0), todayAt(9, 0), 'x')).toBe(false);

    expect(store.error).toMatch(/^The diary already has time .* may not overlap it$/);
  });
});

describe('DiaryStore approval', () => {
  const status = (contract: string, seq: number, approved: number) =>
    someLogStatus({ contract, seq, approved, checkpoint: `workdiary/${contract.slice(0, 4)}\n${seq}\nroot\n\n— sig` });

  it('approves the selected recorded segments contract by contract once the undo window has passed', async () => {
    vi.mocked(Approve).mockImplementation(async (contract, ids) => status(contract, contract === OTHER_CONTRACT_ID ? 3 : 9, ids.length));
    const store = await loaded();
    store.selectMany([a.id, b.id, c.id]);
    vi.useFakeTimers();

    expect(await store.approveSelected()).toBe(true);
    expect(store.pending?.range).toBe('10:00–10:30 (20 min)');
    expect(store.pending?.segments.map((s) => s.id)).toEqual([a.id, c.id]);
    await vi.advanceTimersByTimeAsync(UNDO_MS - 100);
    expect(Approve).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(100);

    expect(store.pending).toBeNull();
    expect(Approve).toHaveBeenCalledTimes(2);
    expect(Approve).toHaveBeenCalledWith(CONTRACT_ID, [a.id]);
    expect(Approve).toHaveBeenCalledWith(OTHER_CONTRACT_ID, [c.id]);
    expect(store.statusText).toBe('Approved 2 segments. They are signed and go to your employer at the next sync.');
    expect(store.statusDetail).toBe('Signed up to log entry 9, log entry 3.');
    expect(store.checkpoint).toContain('workdiary/');
    expect(store.selection.size).toBe(0);
  });

  it('approves the day and says when the running segment stays recorded', async () => {
    vi.mocked(Approve).mockResolvedValue(status(CONTRACT_ID, 12, 1));
    const store = await loaded([a, b, someSegment({ start: todayAt(10, 30) })]);

    await store.approveDay();
    await store.approveNow();

    expect(Approve).toHaveBeenCalledWith(CONTRACT_ID, [a.id, someSegment({ start: todayAt(10, 30) }).id]);
    expect(store.statusText).toBe('Approved 1 segment. It is signed and goes to your employer at the next sync. 1 segment still being recorded stays recorded.');
  });

  it('says which segments wait for the idle question', async () => {
    vi.mocked(Approve).mockResolvedValue(someLogStatus({ ...status(CONTRACT_ID, 12, 1), idle_pending: 1 }));
    const store = await loaded([a, b, someSegment({ start: todayAt(10, 30), idle_pending: [3, 4] })]);

    await store.approveDay();
    await store.approveNow();

    expect(store.statusText).toBe(
      'Approved 1 segment. It is signed and goes to your employer at the next sync. 1 segment with idle time not yet kept or discarded stays recorded: answer the idle question (it comes back when you track that contract) and approve again.',
    );
  });

  it('says which weeks close soon with time still unapproved', async () => {
    vi.mocked(Approve).mockResolvedValue(
      someLogStatus({
        ...status(CONTRACT_ID, 12, 1),
        closing: [node.ClosingWeek.createFrom({ week: '2026-W48', deadline: '2026-12-01T00:00:00Z', unapproved: 3 })],
      }),
    );
    const store = await loaded([a, b]);

    await store.approveDay();
    await store.approveNow();

    expect(store.statusText).toBe(
      'Approved 1 segment. It is signed and goes to your employer at the next sync. Week 2026-W48 closes 2026-12-01 00:00 UTC: 3 segments of it still unapproved; approve them before then.',
    );
  });

  it('signs nothing when undone, and names the range it dropped', async () => {
    const store = await loaded();
    store.selectMany([a.id]);
    vi.useFakeTimers();

    await store.approveSelected();
    store.undoApproval();
    expect(store.statusText).toBe('Approval of 10:00–10:10 (10 min) undone: nothing was signed.');
    await vi.advanceTimersByTimeAsync(2 * UNDO_MS);

    expect(Approve).not.toHaveBeenCalled();
    expect(store.pending).toBeNull();
    expect(store.selection.has(a.id)).toBe(true);
  });

  it('signs a waiting approval at once when another is asked for', async () => {
    vi.mocked(Approve).mockImplementation(async (contract, ids) => status(contract, 9, ids.length));
    const store = await loaded();
    vi.useFakeTimers();
    store.selectMany([a.id]);
    await store.approveSelected();
    store.clearSelection();
    store.selectMany([c.id]);

    await store.approveSelected();

    expect(Approve).toHaveBeenCalledTimes(1);
    expect(Approve).toHaveBeenCalledWith(CONTRACT_ID, [a.id]);
    expect(store.pending?.segments.map((s) => s.id)).toEqual([c.id]);
  });

  it('has nothing to approve among approved segments', async () => {
    const store = await loaded();
    store.toggle(b.id);

    expect(await store.approveSelected()).toBe(false);

    expect(store.error).toMatch(/only recorded segments/);
    expect(Approve).not.toHaveBeenCalled();
  });
});

describe('DiaryStore events and images', () => {
  it('re-reads on diary:changed and, throttled, on tracker events', async () => {
    const handlers = new Map<string, () => void>();
    vi.mocked(EventsOn).mockImplementation((name, cb) => {
      handlers.set(name, cb);
      return () => handlers.delete(name);
    });
    const store = await loaded();
    vi.useFakeTimers();
    const off = store.subscribe();

    handlers.get(events.DIARY_CHANGED)!();
    expect(list).toHaveBeenCalledTimes(1);

    handlers.get(events.TRACKER_MINUTE)!();
    handlers.get(events.TRACKER_SCREENSHOT)!();
    handlers.get(events.TRACKER_MINUTE)!();
    expect(list).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(RELOAD_MS);
    expect(list).toHaveBeenCalledTimes(2);

    off();
    expect(handlers.size).toBe(0);
  });

  it('does not re-read a past week on tracker events', async () => {
    const store = await loaded();
    store.setDay(new Date(2020, 0, 8));
    list.mockClear();
    vi.useFakeTimers();

    store.reloadSoon();
    vi.advanceTimersByTime(RELOAD_MS * 2);

    expect(list).not.toHaveBeenCalled();
  });

  it('reads each thumbnail once and remembers failures', async () => {
    vi.mocked(DataURL).mockResolvedValueOnce('data:image/webp;base64,A').mockRejectedValueOnce('gone');
    const store = await loaded();

    await Promise.all([store.images.loadThumb('t1'), store.images.loadThumb('t1')]);
    await store.images.loadThumb('t2');
    await store.images.loadThumb('t2');

    expect(DataURL).toHaveBeenCalledTimes(2);
    expect(store.images.thumbs.get('t1')).toBe('data:image/webp;base64,A');
    expect(store.images.thumbs.get('t2')).toBe('');
    vi.mocked(DataURL).mockRejectedValueOnce('image abc was deleted');
    await expect(store.images.image('abc')).rejects.toBe('Image abc was deleted');
  });
});
