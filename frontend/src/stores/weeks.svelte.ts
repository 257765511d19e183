// The weeks store: each contract's weeks as open, closing or closed, read
// when a screen needs them (the Timesheets list, the Diary's closed days,
// the corrections picker) and again after a sync, an approval or a change
// of contracts. The only place the UI asks app.ContractsAPI for weeks.
import { Weeks } from '../../wailsjs/go/app/ContractsAPI';
import { closedWeeks, type WeekView } from '../lib/closing';
import { errorMessage, sentence } from '../lib/errors';
import { CONTRACTS_CHANGED, DIARY_CHANGED, SYNC_CHANGED } from '../lib/events';
import { ThrottledReload } from './follow';

export type { WeekView } from '../lib/closing';

/** Events re-read the weeks at most this often. */
export const RELOAD_MS = 2000;

/** One contract's weeks: none until first read. */
export type WeeksEntry = { loading: boolean; error: string; weeks: WeekView[] };

const NONE: WeeksEntry = Object.freeze({ loading: false, error: '', weeks: [] }) as WeeksEntry;

export class WeeksStore {
  /** Weeks by contract ID, newest first. */
  byContract = $state.raw<Record<string, WeeksEntry>>({});

  private tokens = new Map<string, number>();
  private readonly reload = new ThrottledReload(RELOAD_MS, () => this.reloadAll());

  entry(contract: string): WeeksEntry {
    return this.byContract[contract] ?? NONE;
  }

  /** The contract's weeks as last read, newest first. */
  weeks(contract: string): WeekView[] {
    return this.entry(contract).weeks;
  }

  /** The contract's closed weeks, newest first: what a correction may name. */
  closed(contract: string): WeekView[] {
    return closedWeeks(this.weeks(contract));
  }

  /** Reads a contract's weeks; a slower, older answer never replaces a newer one. */
  async load(contract: string): Promise<void> {
    if (contract === '') return;
    const token = (this.tokens.get(contract) ?? 0) + 1;
    this.tokens.set(contract, token);
    const old = this.entry(contract);
    this.set(contract, { ...old, loading: true });
    try {
      const weeks = (await Weeks(contract)) ?? [];
      if (this.tokens.get(contract) !== token) return;
      this.set(contract, { loading: false, error: '', weeks });
    } catch (err) {
      if (this.tokens.get(contract) !== token) return;
      this.set(contract, { ...old, loading: false, error: sentence(errorMessage(err)) });
    }
  }

  /** Re-reads every contract read so far after syncs, approvals and contract changes. */
  subscribe(): () => void {
    return this.reload.follow([SYNC_CHANGED, DIARY_CHANGED, CONTRACTS_CHANGED]);
  }

  private async reloadAll(): Promise<void> {
    this.reload.started();
    await Promise.all(Object.keys(this.byContract).map((id) => this.load(id)));
  }

  private set(contract: string, e: WeeksEntry): void {
    this.byContract = { ...this.byContract, [contract]: e };
  }
}

/** The app-wide weeks store. */
export const weeks = new WeeksStore();
