// The tracker store: the running session (or the chosen contract's hours),
// the screenshot notice, the idle question and the tracker's messages.
// The only place the UI talks to app.TrackerAPI and app.ImagesAPI.
import { DataURL } from '../../wailsjs/go/app/ImagesAPI';
import { AnswerIdle, Start, Status, Stop } from '../../wailsjs/go/app/TrackerAPI';
import type { node } from '../../wailsjs/go/models';
import type { Segment } from '../lib/diary';
import { errorMessage } from '../lib/errors';
import {
  TRACKER_IDLE,
  TRACKER_LIMIT,
  TRACKER_MINUTE,
  TRACKER_PROBLEM,
  TRACKER_SCREENSHOT,
  TRACKER_STOPPED,
  type TrackerEvent,
} from '../lib/events';
import { formatClock } from '../lib/format';
import { minuteMarks, type MinuteMark } from '../lib/grid';
import { followEvents } from './follow';

export type TrackingStatus = node.TrackingStatus;
export type TrackerMessage = { tone: 'info' | 'warning'; text: string };

export const EMPTY_MEMO_MESSAGE = 'Write a short memo: what are you working on?';
/** How often the status is re-read while tracking. */
export const POLL_MS = 5000;
/** How long the screenshot notice stays. */
export const NOTICE_MS = 6000;

/** Go's messages start in lower case ("no input since 10:30"); sentences here do not. */
function sentence(text: string): string {
  const t = text.trim();
  return t === '' ? t : t[0].toUpperCase() + t.slice(1);
}

/**
 * The current segment's ten minutes for the Tracker's cells, each at its
 * place: a session started at :37 fills from :37, and minutes without input
 * or waiting for the idle question look different from active ones.
 */
export function segmentCells(st: TrackingStatus | null): MinuteMark[] {
  if (!st) return Array<MinuteMark>(10).fill('none');
  const minutes = st.segment_detail ?? [];
  return minuteMarks({ minutes, idle_pending: st.segment_idle ?? [] } as unknown as Segment);
}

/** "1:05:09": how long a session has run, for the running timer. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

export class TrackerStore {
  status = $state.raw<TrackingStatus | null>(null);
  /** The contract the screen shows; follows the running session. */
  selected = $state('');
  /** The last Start/Stop/AnswerIdle error; '' when none. */
  error = $state('');
  /** The last failed status read; cleared by the next good one. */
  refreshError = $state('');
  busy = $state(false);
  /** The last screenshot's thumbnail as a data: URL; '' when none. */
  thumbUrl = $state('');
  /** "Screenshot taken at 10:47" for a few seconds after each screenshot. */
  notice = $state('');
  /** Changes with every notice, so the view can restart its fade. */
  noticeId = $state(0);
  message = $state.raw<TrackerMessage | null>(null);
  /** The open idle question ("You were idle from … to …."); '' when none. */
  idleQuestion = $state('');
  /** Local time idle started ("10:30"), while idle; '' otherwise. */
  idleSince = $state('');

  private thumbHash = '';
  private thumbContract = '';
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;

  get running(): boolean {
    return this.status?.running === true;
  }

  /** Shows another contract's hours; ignored while tracking. */
  select(contractId: string): void {
    if (this.running || contractId === this.selected) return;
    this.selected = contractId;
    void this.refresh();
  }

  /** Re-reads the running session, or else the selected contract's hours. */
  async refresh(): Promise<void> {
    try {
      let st = await Status('');
      if (st.running) this.selected = st.contract;
      else if (this.selected) st = await Status(this.selected);
      this.status = st;
      this.refreshError = '';
      await this.loadThumb(st);
    } catch (err) {
      this.refreshError = errorMessage(err);
    }
  }

  /** Starts tracking the selected contract; resolves true on success, false with `error` set. */
  async start(memo: string): Promise<boolean> {
    const trimmed = memo.trim();
    if (trimmed === '') {
      this.error = EMPTY_MEMO_MESSAGE;
      return false;
    }
    if (this.selected === '') {
      this.error = 'Choose the contract to track.';
      return false;
    }
    this.busy = true;
    this.error = '';
    try {
      const st = await Start(this.selected, trimmed);
      this.status = st;
      this.message = null;
      this.idleSince = '';
      await this.loadThumb(st);
      return true;
    } catch (err) {
      this.error = errorMessage(err);
      return false;
    } finally {
      this.busy = false;
    }
  }

  async stop(): Promise<void> {
    this.busy = true;
    this.error = '';
    try {
      this.status = await Stop();
      this.idleSince = '';
      this.idleQuestion = '';
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }

  /** Answers the idle question: keep the idle time (true) or discard it. */
  async answerIdle(keep: boolean): Promise<void> {
    this.idleQuestion = '';
    this.idleSince = '';
    try {
      await AnswerIdle(keep);
    } catch (err) {
      this.error = errorMessage(err);
    }
    void this.refresh();
  }

  dismissMessage(): void {
    this.message = null;
  }

  /** Applies one tracker event from Go. Public so tests can drive it directly. */
  handle(name: string, ev: Partial<TrackerEvent> = {}): void {
    const text = sentence(ev.message ?? '');
    switch (name) {
      case TRACKER_SCREENSHOT:
        this.showNotice(`Screenshot taken at ${formatClock(ev.at) || formatClock(new Date())}`);
        if (ev.thumb) {
          this.thumbUrl = ev.thumb;
          this.thumbContract = this.status?.contract ?? this.selected;
        }
        break;
      case TRACKER_IDLE:
        if (ev.kind === 'idle') this.idleSince = formatClock(ev.at);
        else if (ev.kind === 'idle-question') {
          this.idleQuestion = text || 'You were away from the computer.';
        } else {
          this.idleQuestion = '';
          this.idleSince = '';
        }
        break;
      case TRACKER_LIMIT:
        this.message = {
          tone: 'warning',
          text:
            ev.kind === 'limit-reached'
              ? text || 'The weekly limit is reached.'
              : text || 'You are close to the weekly limit.',
        };
        break;
      case TRACKER_PROBLEM:
        if (text) this.message = { tone: 'warning', text };
        break;
      case TRACKER_STOPPED:
        this.idleQuestion = '';
        this.idleSince = '';
        if (text) this.message = { tone: 'info', text: `Tracking stopped: ${text}` };
        break;
    }
    void this.refresh();
  }

  /**
   * Follows the tracker:* events and re-reads the status every POLL_MS while
   * tracking. Returns the function that stops both.
   */
  subscribe(): () => void {
    const names = [
      TRACKER_MINUTE,
      TRACKER_SCREENSHOT,
      TRACKER_IDLE,
      TRACKER_LIMIT,
      TRACKER_PROBLEM,
      TRACKER_STOPPED,
    ];
    const stop = followEvents(names.map((name) => [name, (ev?: TrackerEvent) => this.handle(name, ev ?? {})] as const));
    const poll = setInterval(() => {
      if (this.running) void this.refresh();
    }, POLL_MS);
    return () => {
      clearInterval(poll);
      clearTimeout(this.noticeTimer);
      stop();
    };
  }

  private showNotice(text: string): void {
    this.notice = text;
    this.noticeId += 1;
    clearTimeout(this.noticeTimer);
    this.noticeTimer = setTimeout(() => (this.notice = ''), NOTICE_MS);
  }

  private async loadThumb(st: TrackingStatus): Promise<void> {
    if (st.contract !== this.thumbContract) {
      this.thumbUrl = '';
      this.thumbHash = '';
      this.thumbContract = st.contract;
    }
    const hash = st.last_thumb ?? '';
    if (hash === '' || hash === this.thumbHash) return;
    this.thumbHash = hash;
    try {
      this.thumbUrl = await DataURL(hash);
    } catch {
      // The image may have been deleted in the diary; keep what is shown.
      this.thumbHash = '';
    }
  }
}

/** The app-wide tracker store. */
export const tracker = new TrackerStore();
