import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../wailsjs/go/app/TrackerAPI');
vi.mock('../../wailsjs/go/app/ImagesAPI');
vi.mock('../../wailsjs/runtime/runtime', () => import('../testing/wails-runtime'));

import { DataURL } from '../../wailsjs/go/app/ImagesAPI';
import { AnswerIdle, Start, Status, Stop } from '../../wailsjs/go/app/TrackerAPI';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import * as events from '../lib/events';
import { CONTRACT_ID, runningStatus, someStatus } from '../testing/fixtures';
import { EMPTY_MEMO_MESSAGE, formatElapsed, NOTICE_MS, POLL_MS, segmentCells, TrackerStore, type TrackingStatus } from './tracker.svelte';

const status = vi.mocked(Status);
const start = vi.mocked(Start);
const stop = vi.mocked(Stop);
const answerIdle = vi.mocked(AnswerIdle);
const dataURL = vi.mocked(DataURL);
const eventsOn = vi.mocked(EventsOn);

beforeEach(() => {
  vi.resetAllMocks();
  status.mockResolvedValue(someStatus());
});

afterEach(() => {
  vi.useRealTimers();
});

describe('TrackerStore.refresh', () => {
  it('follows a running session and loads its last thumbnail once', async () => {
    status.mockResolvedValue(runningStatus({ last_thumb: 'h1' }));
    dataURL.mockResolvedValue('data:image/webp;base64,AAAA');
    const store = new TrackerStore();

    await store.refresh();
    await store.refresh();

    expect(store.running).toBe(true);
    expect(store.selected).toBe(CONTRACT_ID);
    expect(store.thumbUrl).toBe('data:image/webp;base64,AAAA');
    expect(dataURL).toHaveBeenCalledTimes(1);
    expect(dataURL).toHaveBeenCalledWith('h1');
  });

  it("reads the selected contract's hours when nothing runs", async () => {
    status.mockImplementation(async (id: string) =>
      id === '' ? someStatus() : someStatus({ contract: id, week_minutes: 120 }),
    );
    const store = new TrackerStore();

    store.select(CONTRACT_ID);
    await vi.waitFor(() => expect(store.status?.week_minutes).toBe(120));
    expect(status).toHaveBeenLastCalledWith(CONTRACT_ID);
  });

  it('reports a failed read without losing the last status', async () => {
    status.mockResolvedValueOnce(runningStatus());
    status.mockRejectedValueOnce('diary database is locked');
    const store = new TrackerStore();
    await store.refresh();

    await store.refresh();

    expect(store.refreshError).toBe('diary database is locked');
    expect(store.running).toBe(true);
  });
});

describe('TrackerStore.start and stop', () => {
  it('requires a memo and does not call Go without one', async () => {
    const store = new TrackerStore();
    store.selected = CONTRACT_ID;

    expect(await store.start('   ')).toBe(false);

    expect(store.error).toBe(EMPTY_MEMO_MESSAGE);
    expect(start).not.toHaveBeenCalled();
  });

  it('starts the selected contract with the trimmed memo', async () => {
    start.mockResolvedValue(runningStatus());
    const store = new TrackerStore();
    store.selected = CONTRACT_ID;

    expect(await store.start('  Header layout ')).toBe(true);

    expect(start).toHaveBeenCalledWith(CONTRACT_ID, 'Header layout');
    expect(store.running).toBe(true);
    expect(store.busy).toBe(false);
  });

  it("shows Go's reason when Start is refused", async () => {
    start.mockRejectedValue('no display: activity counting needs X11');
    const store = new TrackerStore();
    store.selected = CONTRACT_ID;

    expect(await store.start('Header')).toBe(false);

    expect(store.error).toBe('no display: activity counting needs X11');
    expect(store.running).toBe(false);
  });

  it('stops', async () => {
    start.mockResolvedValue(runningStatus());
    stop.mockResolvedValue(someStatus({ contract: CONTRACT_ID, today_minutes: 90 }));
    const store = new TrackerStore();
    store.selected = CONTRACT_ID;
    await store.start('Header');

    await store.stop();

    expect(store.running).toBe(false);
    expect(store.status?.today_minutes).toBe(90);
  });

  it('ignores another contract while running', async () => {
    start.mockResolvedValue(runningStatus());
    const store = new TrackerStore();
    store.selected = CONTRACT_ID;
    await store.start('Header');

    store.select('b'.repeat(64));

    expect(store.selected).toBe(CONTRACT_ID);
  });
});

describe('TrackerStore events', () => {
  it('shows a screenshot notice with the event thumbnail, then clears it', () => {
    vi.useFakeTimers();
    const store = new TrackerStore();
    const at = new Date();
    at.setHours(10, 47, 5);

    store.handle(events.TRACKER_SCREENSHOT, { kind: 'screenshot', at: at.toISOString(), thumb: 'data:image/jpeg;base64,BBBB' });

    expect(store.notice).toBe('Screenshot taken at 10:47');
    expect(store.thumbUrl).toBe('data:image/jpeg;base64,BBBB');
    vi.advanceTimersByTime(NOTICE_MS);
    expect(store.notice).toBe('');
  });

  it('asks the idle question and sends the answer', async () => {
    const store = new TrackerStore();
    const at = new Date();
    at.setHours(10, 30);

    store.handle(events.TRACKER_IDLE, { kind: 'idle', at: at.toISOString() });
    expect(store.idleSince).toBe('10:30');
    store.handle(events.TRACKER_IDLE, { kind: 'idle-question', message: 'You were idle from 10:30 to 10:42.' });
    expect(store.idleQuestion).toBe('You were idle from 10:30 to 10:42.');

    await store.answerIdle(false);

    expect(answerIdle).toHaveBeenCalledWith(false);
    expect(store.idleQuestion).toBe('');
    expect(store.idleSince).toBe('');
  });

  it('closes the question when Go reports the answer', () => {
    const store = new TrackerStore();
    store.handle(events.TRACKER_IDLE, { kind: 'idle-question', message: 'You were idle from 10:30 to 10:42.' });

    store.handle(events.TRACKER_IDLE, { kind: 'idle-kept', message: 'kept idle time 10:30–10:42' });

    expect(store.idleQuestion).toBe('');
  });

  it('shows limit, problem and stop messages as sentences', () => {
    const store = new TrackerStore();

    store.handle(events.TRACKER_LIMIT, { kind: 'limit-warning', message: '36:00 h of the 40:00 h weekly limit tracked' });
    expect(store.message).toEqual({ tone: 'warning', text: '36:00 h of the 40:00 h weekly limit tracked' });

    store.handle(events.TRACKER_PROBLEM, { kind: 'problem', message: 'no webcam found' });
    expect(store.message?.text).toBe('No webcam found');

    store.handle(events.TRACKER_STOPPED, { kind: 'stopped', message: 'weekly limit reached' });
    expect(store.message).toEqual({ tone: 'info', text: 'Tracking stopped: Weekly limit reached' });

    store.dismissMessage();
    expect(store.message).toBeNull();
  });

  it('adds no banner when the person stopped tracking themselves', () => {
    const store = new TrackerStore();
    store.handle(events.TRACKER_STOPPED, { kind: 'stopped', message: '' });
    expect(store.message).toBeNull();
  });

  it('subscribes to every tracker event and polls only while running', async () => {
    vi.useFakeTimers();
    const offs: ReturnType<typeof vi.fn>[] = [];
    eventsOn.mockImplementation(() => {
      const off = vi.fn();
      offs.push(off);
      return off;
    });
    const store = new TrackerStore();

    const off = store.subscribe();
    const names = eventsOn.mock.calls.map((c) => c[0]).sort();
    expect(names).toEqual(
      [
        events.TRACKER_IDLE,
        events.TRACKER_LIMIT,
        events.TRACKER_MINUTE,
        events.TRACKER_PROBLEM,
        events.TRACKER_SCREENSHOT,
        events.TRACKER_STOPPED,
      ].sort(),
    );

    vi.advanceTimersByTime(POLL_MS);
    expect(status).not.toHaveBeenCalled();

    status.mockResolvedValue(runningStatus());
    await store.refresh();
    status.mockClear();
    vi.advanceTimersByTime(POLL_MS);
    expect(status).toHaveBeenCalledWith('');

    off();
    expect(offs.every((o) => o.mock.calls.length === 1)).toBe(true);
    status.mockClear();
    vi.advanceTimersByTime(POLL_MS * 3);
    expect(status).not.toHaveBeenCalled();
  });

  it('re-reads the status on a minute event', async () => {
    eventsOn.mockReturnValue(() => {});
    const store = new TrackerStore();
    const off = store.subscribe();
    const minute = eventsOn.mock.calls.find((c) => c[0] === events.TRACKER_MINUTE)![1];

    status.mockResolvedValue(runningStatus({ segment_minutes: 5 }));
    minute({ kind: 'minute' });

    await vi.waitFor(() => expect(store.status?.segment_minutes).toBe(5));
    off();
  });
});

describe('tracker helpers', () => {
  it('reads a running time as h:mm:ss', () => {
    expect([0, 59_999, 61_000, 3_909_000, -5].map(formatElapsed)).toEqual(['0:00:00', '0:00:59', '0:01:01', '1:05:09', '0:00:00']);
  });

  it('places the segment minutes where they fell, idle ones apart', () => {
    const st = someStatus({
      segment_detail: [7, 8, 9].map((minute) => ({ minute, keys: minute === 9 ? 3 : 0, clicks: 0, scrolls: 0, moved: false })),
      segment_idle: [7],
    } as Partial<TrackingStatus>);
    expect(segmentCells(st)).toEqual(['none', 'none', 'none', 'none', 'none', 'none', 'none', 'pending', 'idle', 'active']);
    expect(segmentCells(null)).toEqual(Array(10).fill('none'));
  });
});
