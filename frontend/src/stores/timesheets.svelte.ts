// The timesheets store: signed weekly exports for the contracts on either
// side (the employer's received hours, the contractor's proof of delivery),
// opening and saving what an export wrote, and offline verification of a
// bundle someone hands over. The only place the UI talks to app.TimesheetsAPI.
import { Export, Open, SaveAs, ShowInFolder, Verify } from '../../wailsjs/go/app/TimesheetsAPI';
import type { app, node, timesheet } from '../../wailsjs/go/models';
import { isoWeek } from '../lib/diary';
import { errorMessage, sentence } from '../lib/errors';
import { readBase64 } from '../lib/files';

export type TimesheetResult = node.TimesheetResult;
export type Timesheet = timesheet.Timesheet;
export type VerifyView = app.VerifyView;

/** One contract's export: in progress, done (result) or failed (error). */
export type ExportEntry = {
  /** The week asked for, "2026-W48". */
  week: string;
  exporting: boolean;
  error: string;
  result: TimesheetResult | null;
};

/**
 * What checking a bundle found: `text` is the verifier's summary, or the
 * reason it is invalid; `view` what a valid one holds.
 */
export type VerifyOutcome = { state: 'valid' | 'invalid'; file: string; text: string; view?: VerifyView };

/** What can be done with an exported file. */
export type FileAction = 'open' | 'show' | 'save';

export const WEEK_EXAMPLE = '2026-W48';

const IDLE: ExportEntry = Object.freeze({ week: '', exporting: false, error: '', result: null }) as ExportEntry;

/** How Verify words a bundle that fails a check: "INVALID: <first reason>". */
const INVALID = /^\s*INVALID:\s*/i;

/** The week as the backend takes it: trimmed, with a capital W. */
export function normalizeWeek(text: string): string {
  return text.trim().toUpperCase();
}

/** The number of ISO weeks in a year: 52 or 53 (28 December is always in the last one). */
export function weeksInYear(year: number): number {
  return Number(isoWeek(new Date(Date.UTC(year, 11, 28))).slice(-2));
}

/** Why the text is not an ISO week such as "2026-W48"; '' when it is. */
export function weekError(text: string): string {
  const m = /^(\d{4})-W(\d{2})$/.exec(normalizeWeek(text));
  if (!m) return `Enter the week as YYYY-Www, e.g. ${WEEK_EXAMPLE}.`;
  const year = Number(m[1]);
  const week = Number(m[2]);
  const last = weeksInYear(year);
  if (week < 1 || week > last) return `${year} has weeks W01 to W${last}; there is no week W${m[2]}.`;
  return '';
}

export class TimesheetsStore {
  /** Exports by contract ID; a contract without one is idle. */
  exports = $state.raw<Record<string, ExportEntry>>({});

  verifying = $state(false);
  /** The name of the file being, or last, checked. */
  verifyFile = $state('');
  verifyResult = $state.raw<VerifyOutcome | null>(null);
  /** The file could not be read or the backend failed; '' when fine. */
  verifyError = $state('');

  private verifyToken = 0;

  /** A contract's export state; idle when it has none. */
  entry(contract: string): ExportEntry {
    return this.exports[contract] ?? IDLE;
  }

  /**
   * Signs and writes the contract's timesheet for a week ("2026-W48").
   * Resolves true with the entry's result set, false with its error set.
   * A second call while the contract is exporting does nothing.
   */
  async export(contract: string, week: string): Promise<boolean> {
    if (this.entry(contract).exporting) return false;
    const wk = normalizeWeek(week);
    const bad = weekError(wk);
    if (bad) {
      this.set(contract, { week: wk, exporting: false, error: bad, result: null });
      return false;
    }
    this.set(contract, { week: wk, exporting: true, error: '', result: null });
    try {
      const result = await Export(contract, wk);
      this.set(contract, { week: wk, exporting: false, error: '', result });
      return true;
    } catch (err) {
      this.set(contract, { week: wk, exporting: false, error: sentence(errorMessage(err)), result: null });
      return false;
    }
  }

  /** Closes a contract's result or error. */
  clear(contract: string): void {
    if (this.entry(contract).exporting) return;
    const { [contract]: _gone, ...rest } = this.exports;
    this.exports = rest;
  }

  /**
   * Checks a bundle (.zip) fully offline. A newer file's answer always wins
   * over an older one still on its way.
   */
  async verify(file: File): Promise<void> {
    const token = ++this.verifyToken;
    this.verifying = true;
    this.verifyFile = file.name;
    this.verifyResult = null;
    this.verifyError = '';
    let data: string;
    try {
      data = await readBase64(file);
    } catch (err) {
      if (token !== this.verifyToken) return;
      this.verifyError = `${file.name} could not be read: ${errorMessage(err)}`;
      this.verifying = false;
      return;
    }
    try {
      const view = await Verify(data);
      if (token !== this.verifyToken) return;
      this.verifyResult = { state: 'valid', file: file.name, text: view.summary, view };
    } catch (err) {
      if (token !== this.verifyToken) return;
      const msg = errorMessage(err);
      if (INVALID.test(msg)) {
        this.verifyResult = { state: 'invalid', file: file.name, text: sentence(msg.replace(INVALID, '')) };
      } else {
        this.verifyError = sentence(msg);
      }
    }
    this.verifying = false;
  }

  /**
   * Opens an exported file, shows its folder, or saves a copy where the
   * person picks. Resolves with what happened in words ('' when nothing
   * did, e.g. a cancelled save); rejects with a sentence.
   */
  async fileAction(action: FileAction, path: string): Promise<string> {
    try {
      if (action === 'open') await Open(path);
      else if (action === 'show') await ShowInFolder(path);
      else {
        const to = await SaveAs(path);
        return to ? `Saved a copy to ${to}.` : '';
      }
      return '';
    } catch (err) {
      throw new Error(sentence(errorMessage(err)));
    }
  }

  private set(contract: string, e: ExportEntry): void {
    this.exports = { ...this.exports, [contract]: e };
  }
}

/** The app-wide timesheets store. */
export const timesheets = new TimesheetsStore();
