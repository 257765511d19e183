// The contracts store: every contract this installation is party to, the
// employer's offer flow, the contractor's invite → consent → accept flow, and
// each contract's sync state with "Sync now".
// The only place the UI talks to app.ContractsAPI.
import {
  Accept,
  Amend,
  Answer,
  Dispute,
  End,
  ExportLog,
  ImportLog,
  List,
  Offer,
  Pause,
  Preview,
  Resume,
  Show,
  SyncNow,
  SyncStates,
} from '../../wailsjs/go/app/ContractsAPI';
import type { app, contract, node } from '../../wailsjs/go/models';
import { errorMessage, sentence } from '../lib/errors';
import { exportedLine, importedLine } from '../lib/logfile';
import { CONTRACTS_CHANGED, SYNC_CHANGED, SYNC_PROGRESS, syncFraction, type SyncProgressEvent } from '../lib/events';
import { ThrottledReload } from './follow';
import { entries, syncLineOf, type SyncLine } from './sync-line';

export type Contract = contract.ListItem;
export type OfferForm = node.OfferParams;
export type OfferResult = app.OfferView;
export type InvitePreview = node.InvitePreview;
export type SyncState = node.SyncState;
export type SyncResult = node.SyncResult;
export type ContractDetail = node.ContractDetail;

/**
 * A change of a running contract. Each is a signed record that takes
 * effect once it is in the contractor's log: at once for the contractor's,
 * at the next sync for the employer's.
 */
export type ChangeKind = 'end' | 'pause' | 'resume' | 'amend' | 'dispute' | 'answer';

/** What a change says; fields a kind does not use are ignored. */
export type ChangeInput = {
  reason?: string;
  rate?: string;
  /** New weekly limit in hours; undefined keeps the one in force. */
  weeklyLimitHours?: number;
  /** Dispute: the disputed time, RFC 3339. */
  from?: string;
  to?: string;
  /** Answer: the dispute's ID and the answer. */
  dispute?: string;
  text?: string;
};

/** Events re-read the list and sync states at most this often. */
export const RELOAD_MS = 2000;

export type ContractState = 'offered' | 'accepted-pending-delivery' | 'active' | 'paused' | 'ended' | 'withdrawn';
export type ContractsStatus = 'loading' | 'ready' | 'failed';

/** Each state in words; the UI pairs it with a colour. */
export const STATE_LABELS: Record<ContractState, string> = {
  offered: 'Offered, waiting for acceptance',
  'accepted-pending-delivery': 'Accepted, not yet delivered',
  active: 'Active',
  paused: 'Paused',
  ended: 'Ended',
  withdrawn: 'Offer withdrawn',
};

/** What each state means, for the hover. */
export const STATE_HINTS: Record<ContractState, string> = {
  offered: 'The invite is out; the contract starts when the contractor accepts it.',
  'accepted-pending-delivery':
    'The contractor accepted and may track time; the employer’s computer has not received the acceptance yet. It goes across when both are online.',
  active: 'Both sides hold the signed contract; approved hours go across at each sync.',
  paused: 'Paused: the tracker records nothing for it until it is resumed; Details says who paused it.',
  ended: 'The contract has ended: no new time counts, and past weeks can still be exported.',
  withdrawn: 'The employer took the offer back before anyone accepted it.',
};

export const EMPTY_CODE_MESSAGE = 'Paste the invite code your employer sent you.';

/** States in which a contractor may track time. */
const TRACKABLE: readonly string[] = ['accepted-pending-delivery', 'active'];

export function stateLabel(state: string): string {
  return STATE_LABELS[state as ContractState] ?? state;
}

export function stateHint(state: string): string {
  return STATE_HINTS[state as ContractState] ?? '';
}

/** The line a contract's sync round reads as. */
export function syncLine(r: SyncResult): SyncLine {
  return syncLineOf(r, () =>
    r.role === 'contractor'
      ? r.seq >= r.total
        ? `sent; your employer has received all ${entries(r.total)}`
        : `your employer has received ${r.seq} of ${entries(r.total)}`
      : `you hold ${entries(r.seq)} from your contractor`,
  );
}

export class ContractsStore {
  status = $state<ContractsStatus>('loading');
  items = $state.raw<Contract[]>([]);
  /** The last List error; '' when none. */
  error = $state('');

  /** Each contract's sync state (online, last sync, last error), by contract id. */
  syncStates = $state.raw<Record<string, SyncState>>({});
  syncing = $state(false);
  /** One line per contract after a "Sync now" round; empty before. */
  syncLines = $state.raw<SyncLine[]>([]);
  /** "Sync now" finished (its lines, possibly none, are the result). */
  synced = $state(false);
  /** SyncNow itself failed (e.g. the network is not running); '' when fine. */
  syncError = $state('');
  /** The latest step of a round in progress, by contract id; cleared when "Sync now" ends. */
  progress = $state.raw<Record<string, SyncProgressEvent>>({});

  /** How far the rounds in progress have come, 0 to 1; null before any step is known. */
  get syncProgress(): number | null {
    const steps = Object.values(this.progress);
    if (steps.length === 0) return null;
    return steps.reduce((sum, p) => sum + syncFraction(p), 0) / steps.length;
  }

  /** Images sent of images named, over the rounds in progress. */
  get syncImages(): { sent: number; total: number } {
    const steps = Object.values(this.progress);
    return {
      sent: steps.reduce((n, p) => n + p.images, 0),
      total: steps.reduce((n, p) => n + p.images_total, 0),
    };
  }

  /** Records a step of a round (sync:progress). */
  noteProgress(p: SyncProgressEvent): void {
    this.progress = { ...this.progress, [p.contract]: p };
  }

  private readonly reloads = new ThrottledReload(RELOAD_MS, () => this.load());

  offering = $state(false);
  offerError = $state('');
  offerResult = $state.raw<OfferResult | null>(null);

  reviewing = $state(false);
  accepting = $state(false);
  inviteError = $state('');
  preview = $state.raw<InvitePreview | null>(null);
  /** A log file being saved or opened; what the last one did, or why it failed. */
  fileBusy = $state(false);
  fileMessage = $state('');
  fileError = $state('');

  /** The code the preview was made from, so Accept accepts what was shown. */
  private previewCode = '';

  /** Contracts this installation can track time on, as contractor. */
  get trackable(): Contract[] {
    return this.items.filter((c) => c.role === 'contractor' && TRACKABLE.includes(c.state));
  }

  /** Reads the list and the sync states together. */
  async load(): Promise<void> {
    this.reloads.started();
    if (this.status !== 'ready') this.status = 'loading';
    await Promise.all([this.loadList(), this.loadSyncStates()]);
  }

  /** Offers of this installation accepted since the app opened, newest last, until dismissed. */
  accepted = $state.raw<Contract[]>([]);

  dismissAccepted(id: string): void {
    this.accepted = this.accepted.filter((c) => c.id !== id);
  }

  /** Employer contracts that were offered in `before` and are accepted in `after`. */
  private noteAccepted(before: readonly Contract[], after: readonly Contract[]): void {
    const offered = new Set(before.filter((c) => c.role === 'employer' && c.state === 'offered').map((c) => c.id));
    const fresh = after.filter((c) => offered.has(c.id) && TRACKABLE.includes(c.state));
    if (fresh.length > 0) this.accepted = [...this.accepted.filter((c) => !fresh.some((f) => f.id === c.id)), ...fresh];
  }

  private async loadList(): Promise<void> {
    try {
      const before = this.status === 'ready' ? this.items : [];
      this.items = (await List()) ?? [];
      this.noteAccepted(before, this.items);
      this.error = '';
      this.status = 'ready';
    } catch (err) {
      this.error = errorMessage(err);
      if (this.status !== 'ready') this.status = 'failed';
    }
  }

  /** A failed read keeps the last known states: they are a hint, not the list. */
  private async loadSyncStates(): Promise<void> {
    try {
      const states = (await SyncStates()) ?? [];
      this.syncStates = Object.fromEntries(states.map((s) => [s.contract, s]));
    } catch {
      // Keep what was shown; the next event or load tries again.
    }
  }

  /** One sync round with every counterpart; the result stays until the next round. */
  async syncNow(): Promise<void> {
    if (this.syncing) return;
    this.syncing = true;
    this.synced = false;
    this.syncError = '';
    this.syncLines = [];
    this.progress = {};
    try {
      this.syncLines = ((await SyncNow()) ?? []).map(syncLine);
      this.synced = true;
    } catch (err) {
      this.syncError = sentence(errorMessage(err));
    } finally {
      this.syncing = false;
      this.progress = {};
      await this.load();
    }
  }

  /** Saves a contract's log (the contractor) or the reply to it (the employer) to a file the user picks. */
  async exportLog(id: string): Promise<void> {
    await this.logFile(async () => {
      const v = await ExportLog(id);
      return v.cancelled ? '' : exportedLine(v);
    });
  }

  /** Opens a log file the contractor sent (the employer) or the employer's reply (the contractor) and applies it. */
  async importLog(): Promise<void> {
    await this.logFile(async () => {
      const v = await ImportLog();
      return v.cancelled ? '' : importedLine(v);
    });
  }

  /** Runs one file operation at a time; a closed dialog keeps what was shown. */
  private async logFile(run: () => Promise<string>): Promise<void> {
    if (this.fileBusy) return;
    this.fileBusy = true;
    try {
      const line = await run();
      if (line !== '') [this.fileMessage, this.fileError] = [line, ''];
    } catch (err) {
      [this.fileMessage, this.fileError] = ['', sentence(errorMessage(err))];
    } finally {
      this.fileBusy = false;
    }
  }

  /** Signs an offer; resolves true with offerResult set, false with offerError set. */
  async offer(form: OfferForm): Promise<boolean> {
    this.clearSyncResult();
    this.offering = true;
    this.offerError = '';
    try {
      this.offerResult = await Offer(form);
      void this.load();
      return true;
    } catch (err) {
      this.offerError = errorMessage(err);
      return false;
    } finally {
      this.offering = false;
    }
  }

  /** A later action replaces what the last "Sync now" said. */
  clearSyncResult(): void {
    if (this.syncing) return;
    this.synced = false;
    this.syncLines = [];
    this.syncError = '';
  }

  clearOffer(): void {
    this.offerResult = null;
    this.offerError = '';
  }

  /** Decodes a pasted invite for the consent screen; nothing is stored. */
  async review(code: string): Promise<boolean> {
    const trimmed = code.trim();
    this.preview = null;
    if (trimmed === '') {
      this.inviteError = EMPTY_CODE_MESSAGE;
      return false;
    }
    this.reviewing = true;
    this.inviteError = '';
    try {
      this.preview = await Preview(trimmed);
      this.previewCode = trimmed;
      return true;
    } catch (err) {
      this.inviteError = errorMessage(err);
      return false;
    } finally {
      this.reviewing = false;
    }
  }

  /** Accepts the invite shown on the consent screen; the new contract, or null with inviteError. */
  async accept(): Promise<Contract | null> {
    if (!this.preview || this.previewCode === '') return null;
    this.clearSyncResult();
    this.accepting = true;
    this.inviteError = '';
    try {
      const item = await Accept(this.previewCode);
      this.cancelReview();
      await this.load();
      return item;
    } catch (err) {
      this.inviteError = errorMessage(err);
      return null;
    } finally {
      this.accepting = false;
    }
  }

  /** The contract shown in detail, with its changes and disputes; null in the list. */
  detail = $state.raw<ContractDetail | null>(null);
  detailError = $state('');
  changing = $state(false);

  /** Shows one contract in detail. */
  async open(id: string): Promise<void> {
    this.detailError = '';
    try {
      this.detail = await Show(id);
    } catch (err) {
      this.detailError = errorMessage(err);
    }
  }

  close(): void {
    this.detail = null;
    this.detailError = '';
  }

  /** Signs a change of the contract shown; true when it was made (detailError says why not). */
  async change(kind: ChangeKind, input: ChangeInput): Promise<boolean> {
    const id = this.detail?.id;
    if (!id || this.changing) return false;
    this.changing = true;
    this.detailError = '';
    const form = {
      contract: id,
      reason: input.reason?.trim() ?? '',
      rate: input.rate?.trim() ?? '',
      weekly_limit_hours: input.weeklyLimitHours ?? -1,
    };
    try {
      switch (kind) {
        case 'end':
          this.detail = await End(form);
          break;
        case 'pause':
          this.detail = await Pause(form);
          break;
        case 'resume':
          this.detail = await Resume(form);
          break;
        case 'amend':
          this.detail = await Amend(form);
          break;
        case 'dispute':
          this.detail = await Dispute({ contract: id, from: input.from ?? '', to: input.to ?? '', reason: form.reason });
          break;
        case 'answer':
          this.detail = await Answer({ contract: id, dispute: input.dispute ?? '', text: input.text?.trim() ?? '' });
          break;
      }
      void this.load();
      return true;
    } catch (err) {
      this.detailError = errorMessage(err);
      return false;
    } finally {
      this.changing = false;
    }
  }

  cancelReview(): void {
    this.preview = null;
    this.previewCode = '';
    this.inviteError = '';
  }

  /**
   * Follows contracts:changed and sync:changed from Go by re-reading the list
   * and sync states, at most every RELOAD_MS, and sync:progress while "Sync
   * now" runs. Returns the unsubscribe function.
   */
  subscribe(): () => void {
    const progress = (p: SyncProgressEvent) => {
      if (this.syncing) this.noteProgress(p);
    };
    return this.reloads.follow([CONTRACTS_CHANGED, SYNC_CHANGED], [[SYNC_PROGRESS, progress]]);
  }
}

/** The app-wide contracts store. */
export const contracts = new ContractsStore();
