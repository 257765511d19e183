// How a store follows Go's events: listeners that come and go together, and
// a throttled re-read so that a burst of events costs one read.
import { EventsOn } from '../../wailsjs/runtime/runtime';

/** An event name and what to do when it arrives; the data is whatever Go sent. */
export type EventHandler = readonly [name: string, handle: (...data: any[]) => void];

/**
 * Listens to each event in turn and returns the function that stops them all.
 * Without a Wails runtime (plain browser, unit tests) there is nothing to
 * follow, and the listeners set up before that was found are kept.
 */
export function followEvents(handlers: readonly EventHandler[]): () => void {
  const offs: (() => void)[] = [];
  try {
    for (const [name, handle] of handlers) offs.push(EventsOn(name, handle));
  } catch {
    // No Wails runtime: nothing (more) to follow.
  }
  return () => {
    for (const off of offs) off();
  };
}

/**
 * A re-read for events: soon after the first event, then at most once per
 * interval counted from the last read, whatever started that read.
 */
export class ThrottledReload {
  private readonly intervalMs: number;
  private readonly read: () => Promise<void>;
  private lastRead = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(intervalMs: number, read: () => Promise<void>) {
    this.intervalMs = intervalMs;
    this.read = read;
  }

  /** Notes that a read starts now. */
  started(): void {
    this.lastRead = Date.now();
  }

  /** Schedules a read, unless one is already waiting. */
  soon(): void {
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.lastRead + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.read();
    }, wait);
  }

  /** Drops the read that is waiting, if any. */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Reads soon on each of the named events, and follows the other handlers
   * too. The returned function stops all of them and drops a waiting read.
   */
  follow(names: readonly string[], others: readonly EventHandler[] = []): () => void {
    const stop = followEvents([...names.map((name): EventHandler => [name, () => this.soon()]), ...others]);
    return () => {
      this.cancel();
      stop();
    };
  }
}
