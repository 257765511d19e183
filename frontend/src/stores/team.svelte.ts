// The team store: the employer's side. Each contract this installation
// employs on with its contractor's synced hours, one contractor's diary
// (read-only) for a shown day, and "Sync now". The only place the UI talks
// to app.TeamAPI; images come through app.ImagesAPI.
import { Diary, List, SyncNow } from '../../wailsjs/go/app/TeamAPI';
import type { node } from '../../wailsjs/go/models';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import { addDays, dayKey, plural, rfc3339, startOfDay, totalMinutes, type Segment } from '../lib/diary';
import { errorMessage, sentence } from '../lib/errors';
import { CONTRACTS_CHANGED, SYNC_CHANGED } from '../lib/events';
import { formatClock } from '../lib/format';
import type { DiarySource } from './diary-source';
import { ImageCache } from './images.svelte';

export type TeamRow = node.TeamRow;
export type SyncResult = node.SyncResult;
export type TeamStatus = 'loading' | 'ready' | 'failed';
/** One line of the sync result, per contract. */
export type SyncLine = { contract: string; ok: boolean; text: string };

/** Events re-read the team at most this often. */
export const RELOAD_MS = 2000;

function entries(n: number): string {
  return n === 1 ? '1 entry' : `${n} entries`;
}

/** The line a contract's sync round reads as; `before` = entries held before it. */
export function syncLine(r: SyncResult, before: number | undefined): SyncLine {
  const title = r.title || `Contract ${r.contract.slice(0, 8)}`;
  if (r.error) return { contract: r.contract, ok: false, text: `${title}: ${sentence(r.error)}` };
  if (r.role === 'contractor') {
    return { contract: r.contract, ok: true, text: `${title}: your employer holds ${r.seq} of your ${entries(r.total)}.` };
  }
  const fresh = before === undefined ? 0 : Math.max(0, r.seq - before);
  const all = entries(r.seq);
  return {
    contract: r.contract,
    ok: true,
    text: fresh > 0 ? `${title}: ${fresh} new, ${all} in all.` : `${title}: up to date, ${all}.`,
  };
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
  private lastLoad = -Infinity;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;

  async load(): Promise<void> {
    this.lastLoad = Date.now();
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
    const offs: (() => void)[] = [];
    try {
      for (const name of [SYNC_CHANGED, CONTRACTS_CHANGED]) offs.push(EventsOn(name, () => this.reloadSoon()));
    } catch {
      // No Wails runtime (plain browser, unit tests): nothing to follow.
    }
    return () => {
      clearTimeout(this.reloadTimer);
      this.reloadTimer = undefined;
      for (const off of offs) off();
    };
  }

  /** A throttled refresh for events: soon after the first, then once per RELOAD_MS. */
  reloadSoon(): void {
    if (this.reloadTimer !== undefined) return;
    const wait = Math.max(0, this.lastLoad + RELOAD_MS - Date.now());
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = undefined;
      void this.refresh();
    }, wait);
  }
}

/** The app-wide team store. */
export const team = new TeamStore();
