import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../wailsjs/runtime/runtime', () => import('../testing/wails-runtime'));

import { EventsOn } from '../../wailsjs/runtime/runtime';
import { followEvents, ThrottledReload } from './follow';

const eventsOn = vi.mocked(EventsOn);

beforeEach(() => {
  vi.resetAllMocks();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('followEvents', () => {
  it('listens to each event with its handler and stops them all at once', () => {
    const offs = [vi.fn(), vi.fn()];
    eventsOn.mockReturnValueOnce(offs[0]).mockReturnValueOnce(offs[1]);
    const onA = vi.fn();
    const onB = vi.fn();

    const stop = followEvents([
      ['a:changed', onA],
      ['b:changed', onB],
    ]);

    expect(eventsOn.mock.calls).toEqual([
      ['a:changed', onA],
      ['b:changed', onB],
    ]);
    expect(offs[0]).not.toHaveBeenCalled();
    stop();
    expect(offs[0]).toHaveBeenCalledTimes(1);
    expect(offs[1]).toHaveBeenCalledTimes(1);
  });

  it('keeps the listeners set up before the runtime went missing', () => {
    const off = vi.fn();
    eventsOn.mockReturnValueOnce(off).mockImplementationOnce(() => {
      throw new TypeError('no runtime');
    });

    const stop = followEvents([
      ['a:changed', () => {}],
      ['b:changed', () => {}],
      ['c:changed', () => {}],
    ]);

    expect(eventsOn).toHaveBeenCalledTimes(2);
    stop();
    expect(off).toHaveBeenCalledTimes(1);
  });

  it('does nothing without a Wails runtime', () => {
    eventsOn.mockImplementation(() => {
      throw new TypeError('no runtime');
    });
    expect(() => followEvents([['a:changed', () => {}]])()).not.toThrow();
  });
});

describe('ThrottledReload', () => {
  const INTERVAL = 1000;
  /** A call on the reload, or a number of milliseconds to let pass. */
  type Step = 'started' | 'soon' | 'cancel' | number;

  const cases: { name: string; steps: Step[]; reads: number }[] = [
    { name: 'reads at once when nothing was read yet, once for a burst', steps: ['soon', 'soon', 'soon', 0], reads: 1 },
    { name: 'waits out the interval counted from the last read', steps: ['started', 300, 'soon', INTERVAL - 301], reads: 0 },
    { name: 'reads once the interval is over', steps: ['started', 300, 'soon', INTERVAL - 300], reads: 1 },
    { name: 'schedules again once the waiting read has run', steps: ['soon', 0, 'soon', 0], reads: 2 },
    { name: 'drops the waiting read on cancel', steps: ['started', 'soon', 'cancel', INTERVAL * 2], reads: 0 },
    { name: 'schedules anew after a cancel', steps: ['started', 'soon', 'cancel', 'soon', INTERVAL], reads: 1 },
  ];

  for (const { name, steps, reads } of cases) {
    it(name, async () => {
      vi.useFakeTimers();
      const read = vi.fn(async () => {});
      const reload = new ThrottledReload(INTERVAL, read);

      for (const step of steps) {
        if (typeof step === 'number') await vi.advanceTimersByTimeAsync(step);
        else reload[step]();
      }

      expect(read.mock.calls.length, `reads after ${steps.join(', ')}`).toBe(reads);
    });
  }
});

describe('ThrottledReload.follow', () => {
  it('reads soon on the named events, passes the others through, and stops both with a waiting read', async () => {
    vi.useFakeTimers();
    const handlers = new Map<string, (...data: unknown[]) => void>();
    const off = vi.fn();
    eventsOn.mockImplementation((name, handle) => {
      handlers.set(name, handle);
      return off;
    });
    const read = vi.fn(async () => {});
    const reload = new ThrottledReload(1000, read);
    const onProgress = vi.fn();

    const stop = reload.follow(['a:changed', 'b:changed'], [['c:progress', onProgress]]);

    expect([...handlers.keys()]).toEqual(['a:changed', 'b:changed', 'c:progress']);
    handlers.get('c:progress')!({ step: 1 });
    expect(onProgress).toHaveBeenCalledWith({ step: 1 });
    expect(read).not.toHaveBeenCalled();

    handlers.get('a:changed')!();
    handlers.get('b:changed')!();
    await vi.advanceTimersByTimeAsync(0);
    expect(read).toHaveBeenCalledTimes(1);

    reload.started();
    handlers.get('b:changed')!();
    stop();
    await vi.advanceTimersByTimeAsync(2000);
    expect(read).toHaveBeenCalledTimes(1);
    expect(off).toHaveBeenCalledTimes(3);
  });
});
