// The team store: the employer's side. Each contract this installation
// employs on with its contractor's synced hours, one contractor's diary
// (read-only) for a shown day, and "Sync now". The only place the UI talks
// to app.TeamAPI; images come through app.ImagesAPI.
import { Diary, List, SyncNow } from '../../wailsjs/go/app/TeamAPI';
import type { node } from '../../wailsjs/go/models';
import { addDays, dayKey, plural, rfc3339, startOfDay, totalMinutes, type Segment } from '../lib/diary';
import { errorMessage, sentence } from '../lib/errors';
import { CONTRACTS_CHANGED, SYNC_CHANGED } from '../lib/events';
import { formatClock } from '../lib/format';
import type { DiarySource } from './diary-source';
import { ThrottledReload } from './follow';
import { ImageCache } from './images.svelte';
import { entries, syncLineOf, type SyncLine } from './sync-line';

export type TeamRow = node.TeamRow;
export type SyncResult = node.SyncResult;
export type TeamStatus = 'loading' | 'ready' | 'failed';

/** Events re-read the team at most this often. */
export const RELOAD_MS = 2000;

/** The line a contract's sync round reads as; `before` = entries held before it. */
export function syncLine(r: SyncResult, before: number | undefined): SyncLine {
  return syncLineOf(r, () => {
    if (r.role === 'contractor') return `your employer has received ${r.seq} of your ${entries(r.total)}.`;
    const fresh = before === undefined ? 0 : Math.max(0, r.seq - before);
    const all = entries(r.seq);
    return fresh > 0 ? `${fresh} new, ${all} in all.` : `up to date, ${all}.`;
  });
}

export class TeamStore implements DiarySource {
  status = $state<TeamStatus>('loading');
  rows = $state.raw<TeamRow[]>([]);
  /** The last List error; '' when none. */
  error = $state('');

  /** The contract whose diary is open; '' shows the table. */
  selected = $state('');
  /** Local midnight of the diary's shown day. */
  day = $state.raw(startOfDay(new Date()));
  diaryStatus = $state<TeamStatus>('loading');
  diaryError = $state('');
  /** The shown day's synced segments of the selected contract. */
  segments = $state.raw<Segment[]>([]);
  readonly images = new ImageCache();

  syncing = $state(false);
  /** "Synced 2 contracts at 10:42." after a round; '' before. */
  syncSummary = $state('');
  syncLines = $state.raw<SyncLine[]>([]);
  /** SyncNow itself failed (e.g. the network is not running); '' when fine. */
  syncError = $state('');

  readonly selectedRow = $derived(this.rows.find((r) => r.contract === this.selected) ?? null);
  readonly dayMinutes = $derived(totalMinutes(this.segments));
  readonly isToday = $derived(dayKey(this.day) === dayKey(new Date()));

  private diaryToken = 0;
  /** Which contract and day `segments` holds. */
  private loaded = '';
  private readonly reloads = new ThrottledReload(RELOAD_MS, () => this.refresh());

  async load(): Promise<void> {
    this.reloads.started();
    if (this.status !== 'ready') this.status = 'loading';
    try {
      this.rows = (await List()) ?? [];
      this.error = '';
      this.status = 'ready';
    } catch (err) {
      this.error = sentence(errorMessage(err));
      if (this.status !== 'ready') this.status = 'failed';
    }
  }

  /** Opens a contract's diary on today. */
  open(contract: string): void {
    if (contract !== this.selected) this.images.clear();
    // What the last "Sync now" said belongs to the table left behind.
    if (!this.syncing) {
      this.syncSummary = '';
      this.syncLines = [];
      this.syncError = '';
    }
    this.selected = contract;
    this.day = startOfDay(new Date());
    void this.loadDiary();
  }

  /** Back to the table. */
  close(): void {
    this.selected = '';
    this.diaryToken++;
    this.loaded = '';
    this.segments = [];
  }

  setDay(d: Date): void {
    const next = startOfDay(d);
    if (next.getTime() === this.day.getTime()) return;
    this.day = next;
    void this.loadDiary();
  }

  /** Moves the shown day by n days (-1 = previous). */
  step(n: number): void {
    this.setDay(addDays(this.day, n));
  }

  today(): void {
    this.setDay(new Date());
  }

  /** Reads the shown day; a slower, older answer never replaces a newer one. */
  async loadDiary(): Promise<void> {
    if (!this.selected) return;
    const token = ++this.diaryToken;
    const key = `${this.selected}|${dayKey(this.day)}`;
    if (this.loaded !== key) {
      this.diaryStatus = 'loading';
      this.segments = [];
    }
    try {
      const segs = (await Diary(this.selected, rfc3339(this.day), rfc3339(addDays(this.day, 1)))) ?? [];
      if (token !== this.diaryToken) return;
      this.segments = segs;
      this.loaded = key;
      this.diaryError = '';
      this.diaryStatus = 'ready';
    } catch (err) {
      if (token !== this.diaryToken) return;
      this.diaryError = sentence(errorMessage(err));
      if (this.loaded !== key) this.diaryStatus = 'failed';
    }
  }

  /** One sync round with every counterpart; the result stays until the next round. */
  async syncNow(): Promise<void> {
    if (this.syncing) return;
    this.syncing = true;
    this.syncError = '';
    this.syncSummary = '';
    this.syncLines = [];
    const before = new Map(this.rows.map((r) => [r.contract, r.entries]));
    try {
      const results = (await SyncNow()) ?? [];
      this.syncLines = results.map((r) => syncLine(r, before.get(r.contract)));
      const failed = this.syncLines.filter((l) => !l.ok).length;
      const at = formatClock(new Date());
      this.syncSummary =
        results.length === 0
          ? `Nothing to sync at ${at}: no contract has a counterpart yet.`
          : `Synced ${plural(results.length, 'contract')} at ${at}${failed ? `; ${failed} failed` : ''}.`;
    } catch (err) {
      this.syncError = sentence(errorMessage(err));
    } finally {
      this.syncing = false;
      await this.refresh();
    }
  }

  /** Re-reads the table, and the open diary. */
  async refresh(): Promise<void> {
    await Promise.all([this.load(), this.loadDiary()]);
  }

  /**
   * Re-reads on sync:changed and contracts:changed, at most every RELOAD_MS.
   * Returns the unsubscribe function.
   */
  subscribe(): () => void {
    return this.reloads.follow([SYNC_CHANGED, CONTRACTS_CHANGED]);
  }
}

/** The app-wide team store. */
export const team = new TeamStore();
