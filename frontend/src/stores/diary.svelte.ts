// The diary store: the shown day and contract, its segments, the selection,
// curation (delete, blur, memo, manual time) and approval. The only place
// the UI talks to app.DiaryAPI; images come through app.ImagesAPI.
import { AddManual, Approve, Blur, Delete, DeleteWebcam, List, SetMemo } from '../../wailsjs/go/app/DiaryAPI';
import {
  addDays,
  dayKey,
  plural,
  recordedByContract,
  rfc3339,
  rfc3339Local,
  startOfDay,
  startOfWeek,
  totalMinutes,
  within,
  type Segment,
  type SegmentImage,
} from '../lib/diary';
import { errorMessage, sentence } from '../lib/errors';
import { rangeWithDuration } from '../lib/grid';
import { DIARY_CHANGED, TRACKER_MINUTE, TRACKER_SCREENSHOT } from '../lib/events';
import { followEvents } from './follow';
import { ImageCache } from './images.svelte';

export type { Segment } from '../lib/diary';
export type DiaryStatus = 'loading' | 'ready' | 'failed';

export const EMPTY_MEMO_MESSAGE = 'Write a memo: what was the work?';
/** Tracker events re-read the diary at most this often. */
export const RELOAD_MS = 5000;
/** How long the status line ("Approved 6 segments …") stays. */
export const STATUS_MS = 10000;
/** How long an approval waits for Undo before the node signs it. */
export const UNDO_MS = 10000;

/** An approval waiting out its undo window. */
export type PendingApproval = {
  /** The recorded segments it will sign. */
  segments: Segment[];
  /** "09:00–11:20 (2 h 20 min)". */
  range: string;
  /** When it is signed (ms since the epoch). */
  at: number;
};

export class DiaryStore {
  /** Local midnight of the shown day. */
  day = $state.raw(startOfDay(new Date()));
  /** The contract filter; '' = all contracts. */
  contract = $state('');
  status = $state<DiaryStatus>('loading');
  /** The last List error; '' when none. */
  loadError = $state('');
  /** The last refused action; '' when none. */
  error = $state('');
  busy = $state(false);
  /** Every segment of the shown day's week (for the week total). */
  week = $state.raw<Segment[]>([]);
  selection = $state.raw<ReadonlySet<string>>(new Set());
  /** "Approved 6 segments …" for a while after an action; '' when none. */
  statusText = $state('');
  /** The signed checkpoint after the last approval. */
  checkpoint = $state('');
  /** An approval not signed yet: Undo drops it. */
  pending = $state.raw<PendingApproval | null>(null);
  /** The log entries the last approval signed up to, for its details. */
  statusDetail = $state('');
  readonly images = new ImageCache();

  readonly dayEnd = $derived(addDays(this.day, 1));
  readonly weekStart = $derived(startOfWeek(this.day));
  readonly segments = $derived(within(this.week, this.day, this.dayEnd));
  readonly dayMinutes = $derived(totalMinutes(this.segments));
  readonly weekMinutes = $derived(totalMinutes(this.week));
  readonly approvedMinutes = $derived(totalMinutes(this.segments.filter((s) => s.state !== 'recorded')));
  readonly selected = $derived(this.segments.filter((s) => this.selection.has(s.id)));
  /** Approved time is signed: only recorded segments can still be edited. */
  readonly selectedRecorded = $derived(this.selected.filter((s) => s.state === 'recorded'));
  readonly isToday = $derived(dayKey(this.day) === dayKey(new Date()));

  private loaded = '';
  private token = 0;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private statusTimer: ReturnType<typeof setTimeout> | undefined;
  private pendingTimer: ReturnType<typeof setTimeout> | undefined;

  /** Shows the day holding `d`; re-reads only when the week changes. */
  setDay(d: Date): void {
    const next = startOfDay(d);
    if (next.getTime() === this.day.getTime()) return;
    this.day = next;
    this.clearSelection();
    if (this.weekKey() !== this.loaded) void this.load();
  }

  /** Moves the shown day by n days (-1 = previous). */
  step(n: number): void {
    this.setDay(addDays(this.day, n));
  }

  today(): void {
    this.setDay(new Date());
  }

  setContract(id: string): void {
    if (id === this.contract) return;
    this.contract = id;
    this.clearSelection();
    void this.load();
  }

  /** Reads the shown week; a slower, older answer never replaces a newer one. */
  async load(): Promise<void> {
    const token = ++this.token;
    const key = this.weekKey();
    if (this.loaded !== key) {
      this.status = 'loading';
      this.week = [];
    }
    const from = this.weekStart;
    try {
      const segs = (await List(rfc3339(from), rfc3339(addDays(from, 7)), this.contract)) ?? [];
      if (token !== this.token) return;
      this.week = segs;
      this.loaded = key;
      this.loadError = '';
      this.status = 'ready';
      this.pruneSelection();
    } catch (err) {
      if (token !== this.token) return;
      this.loadError = sentence(errorMessage(err));
      if (this.loaded !== key) this.status = 'failed';
    }
  }

  toggle(id: string): void {
    const next = new Set(this.selection);
    if (!next.delete(id)) next.add(id);
    this.selection = next;
  }

  /** Adds segments (a Shift-click range) to the selection. */
  selectMany(ids: readonly string[]): void {
    this.selection = new Set([...this.selection, ...ids]);
  }

  clearSelection(): void {
    if (this.selection.size > 0) this.selection = new Set();
  }

  /** Deletes segments and their images; approved ones are voided by a new entry. */
  delete(ids = this.selected.map((s) => s.id)): Promise<boolean> {
    return this.act(async () => {
      const r = await Delete(ids);
      this.forget(ids, (s) => [...s.screenshots, ...s.webcam]);
      const v = r.voided ?? [];
      const voided = v.length ? `; approved time voided by log ${v.length === 1 ? 'entry' : 'entries'} ${v.join(', ')}` : '';
      return `Deleted ${plural(r.changed.length, 'segment')}${voided}.`;
    });
  }

  deleteWebcam(ids = this.selectedRecorded.map((s) => s.id)): Promise<boolean> {
    return this.act(async () => {
      const r = await DeleteWebcam(ids);
      this.forget(ids, (s) => s.webcam);
      return `Deleted the webcam photos of ${plural(r.changed.length, 'segment')}.`;
    });
  }

  /** Blurs one screenshot (its hash) or, with '', all of the segments' screenshots. */
  blur(ids = this.selectedRecorded.map((s) => s.id), imageHash = ''): Promise<boolean> {
    return this.act(async () => {
      const r = await Blur(ids, imageHash);
      this.forget(ids, (s) => s.screenshots.filter((i) => imageHash === '' || i.hash === imageHash));
      return `Blurred the screenshots of ${plural(r.changed.length, 'segment')}.`;
    });
  }

  setMemo(memo: string, ids = this.selectedRecorded.map((s) => s.id)): Promise<boolean> {
    const trimmed = memo.trim();
    if (trimmed === '') return this.refuse(EMPTY_MEMO_MESSAGE);
    return this.act(async () => {
      const r = await SetMemo(ids, trimmed);
      return `Changed the memo of ${plural(r.changed.length, 'segment')}.`;
    });
  }

  /**
   * Adds manual time [from, to) to a contract; `corrects` names the closed
   * week ("2026-W48") it makes up for, or ''.
   */
  addManual(contractId: string, from: Date, to: Date, memo: string, corrects = ''): Promise<boolean> {
    const trimmed = memo.trim();
    if (contractId === '') return this.refuse('Choose the contract the time is for.');
    if (from.getTime() >= to.getTime()) return this.refuse('The end must be after the start.');
    if (trimmed === '') return this.refuse(EMPTY_MEMO_MESSAGE);
    return this.act(async () => {
      // In the local zone, so that a refusal names the times as typed.
      const r = await AddManual(contractId, rfc3339Local(from), rfc3339Local(to), trimmed, corrects);
      const fix = corrects ? `, correcting ${corrects}` : '';
      return `Added ${plural(r.changed.length, 'segment')} of manual time${fix}.`;
    }, false);
  }

  /**
   * Approves the selected recorded segments, contract by contract, once
   * the undo window has passed. Resolves false when there is nothing to
   * approve.
   */
  approveSelected(): Promise<boolean> {
    return this.queueApproval(this.selected);
  }

  /** Approves every recorded segment of the shown day, after the undo window. */
  approveDay(): Promise<boolean> {
    return this.queueApproval(this.segments);
  }

  /** Drops the approval waiting in its undo window: nothing is signed. */
  undoApproval(): void {
    if (!this.pending) return;
    const range = this.pending.range;
    this.dropPending();
    this.say(`Approval of ${range} undone: nothing was signed.`);
  }

  /** Signs the waiting approval now instead of at the end of its window. */
  approveNow(): Promise<boolean> {
    const p = this.pending;
    if (!p) return Promise.resolve(false);
    this.dropPending();
    return this.approve(p.segments);
  }

  /**
   * Approval signs for good (approved time is never rewritten), so it waits
   * UNDO_MS, naming the range, before the node signs. A second approval
   * while one waits signs the first at once: each keeps its own range.
   */
  private async queueApproval(segs: readonly Segment[]): Promise<boolean> {
    const recorded = segs.filter((s) => s.state === 'recorded');
    if (recorded.length === 0) return this.refuse('Nothing to approve: only recorded segments can be approved.');
    if (this.pending) await this.approveNow();
    this.error = '';
    this.pending = { segments: recorded, range: rangeWithDuration(recorded), at: Date.now() + UNDO_MS };
    this.pendingTimer = setTimeout(() => void this.approveNow(), UNDO_MS);
    return true;
  }

  private dropPending(): void {
    clearTimeout(this.pendingTimer);
    this.pendingTimer = undefined;
    this.pending = null;
  }

  /**
   * Re-reads on diary:changed, and at most every RELOAD_MS on tracker events
   * while the shown week is the current one. Returns the unsubscribe function.
   */
  subscribe(): () => void {
    const stop = followEvents([
      [DIARY_CHANGED, () => void this.load()],
      [TRACKER_MINUTE, () => this.reloadSoon()],
      [TRACKER_SCREENSHOT, () => this.reloadSoon()],
    ]);
    return () => {
      clearTimeout(this.reloadTimer);
      this.reloadTimer = undefined;
      clearTimeout(this.statusTimer);
      stop();
    };
  }

  /** A throttled reload for tracker events; public so tests can drive it. */
  reloadSoon(): void {
    if (this.reloadTimer !== undefined) return;
    const now = Date.now();
    if (now < this.weekStart.getTime() || now >= addDays(this.weekStart, 7).getTime()) return;
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = undefined;
      void this.load();
    }, RELOAD_MS);
  }

  private async approve(segs: readonly Segment[]): Promise<boolean> {
    const byContract = recordedByContract(segs);
    if (byContract.size === 0) return this.refuse('Nothing to approve: only recorded segments can be approved.');
    return this.act(async () => {
      let asked = 0;
      let approved = 0;
      let idle = 0;
      const parts: string[] = [];
      const closing: string[] = [];
      for (const [contract, ids] of byContract) {
        asked += ids.length;
        const st = await Approve(contract, ids);
        approved += st.approved;
        idle += st.idle_pending ?? 0;
        this.checkpoint = st.checkpoint;
        parts.push(`log entry ${st.seq}`);
        for (const w of st.closing ?? []) closing.push(closingSentence(w.week, String(w.deadline), w.unapproved));
      }
      const rest = asked - approved - idle;
      const waiting = rest > 0 ? ` ${plural(rest, 'segment')} still being recorded ${rest === 1 ? 'stays' : 'stay'} recorded.` : '';
      const undecided =
        idle > 0
          ? ` ${plural(idle, 'segment')} with idle time not yet kept or discarded ${idle === 1 ? 'stays' : 'stay'} recorded: answer the idle question (it comes back when you track that contract) and approve again.`
          : '';
      this.statusDetail = `Signed up to ${parts.join(', ')}.`;
      const sent =
        approved > 0 ? ` ${approved === 1 ? 'It is signed and goes' : 'They are signed and go'} to your employer at the next sync.` : '';
      return `Approved ${plural(approved, 'segment')}.${sent}${waiting}${undecided}${closing.join('')}`;
    });
  }

  /** Runs one action: reloads after it (also after a refusal, as part may have applied). */
  private async act(run: () => Promise<string>, clear = true): Promise<boolean> {
    this.busy = true;
    this.error = '';
    this.checkpoint = '';
    this.statusDetail = '';
    try {
      this.say(await run());
      if (clear) this.clearSelection();
      return true;
    } catch (err) {
      this.error = sentence(errorMessage(err));
      return false;
    } finally {
      this.busy = false;
      await this.load();
    }
  }

  private refuse(message: string): Promise<boolean> {
    this.error = message;
    return Promise.resolve(false);
  }

  private say(text: string): void {
    this.statusText = text;
    clearTimeout(this.statusTimer);
    this.statusTimer = setTimeout(() => (this.statusText = ''), STATUS_MS);
  }

  clearError(): void {
    this.error = '';
  }

  /** Drops selected ids that are no longer on the shown day. */
  private pruneSelection(): void {
    if (this.selection.size === 0) return;
    const shown = new Set(this.segments.map((s) => s.id));
    const kept = [...this.selection].filter((id) => shown.has(id));
    if (kept.length !== this.selection.size) this.selection = new Set(kept);
  }

  /** Deleted and replaced images are gone from disk; keep none of them in memory either. */
  private forget(ids: readonly string[], pick: (s: Segment) => SegmentImage[] | undefined): void {
    const gone = new Set(ids);
    for (const s of this.week) if (gone.has(s.id)) this.images.forget(pick(s) ?? []);
  }

  private weekKey(): string {
    return `${dayKey(this.weekStart)}|${this.contract}`;
  }
}

/** The app-wide diary store. */
export const diary = new DiaryStore();

/** Says that a week still takes approvals until its deadline, and how much of it waits. */
export function closingSentence(week: string, deadline: string, unapproved: number): string {
  const at = new Date(deadline);
  const when = Number.isNaN(at.getTime()) ? deadline : `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return ` Week ${week} closes ${when}: ${plural(unapproved, 'segment')} of it still unapproved; approve ${unapproved === 1 ? 'it' : 'them'} before then.`;
}
