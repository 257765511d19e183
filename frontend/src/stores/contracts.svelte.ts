// The contracts store: every contract this installation is party to, the
// employer's offer flow and the contractor's invite → consent → accept flow.
// The only place the UI talks to app.ContractsAPI.
import { Accept, List, Offer, Preview } from '../../wailsjs/go/app/ContractsAPI';
import type { app, contract, node } from '../../wailsjs/go/models';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import { errorMessage } from '../lib/errors';
import { CONTRACTS_CHANGED } from '../lib/events';

export type Contract = contract.ListItem;
export type OfferForm = node.OfferParams;
export type OfferResult = app.OfferView;
export type InvitePreview = node.InvitePreview;

export type ContractState = 'offered' | 'accepted-pending-delivery' | 'active' | 'ended';
export type ContractsStatus = 'loading' | 'ready' | 'failed';

/** Each state in words; the UI pairs it with a colour. */
export const STATE_LABELS: Record<ContractState, string> = {
  offered: 'Offered, waiting for acceptance',
  'accepted-pending-delivery': 'Accepted, not yet delivered',
  active: 'Active',
  ended: 'Ended',
};

export const EMPTY_CODE_MESSAGE = 'Paste the invite code your employer sent you.';

/** States in which a contractor may track time. */
const TRACKABLE: readonly string[] = ['accepted-pending-delivery', 'active'];

export function stateLabel(state: string): string {
  return STATE_LABELS[state as ContractState] ?? state;
}

export class ContractsStore {
  status = $state<ContractsStatus>('loading');
  items = $state.raw<Contract[]>([]);
  /** The last List error; '' when none. */
  error = $state('');

  offering = $state(false);
  offerError = $state('');
  offerResult = $state.raw<OfferResult | null>(null);

  reviewing = $state(false);
  accepting = $state(false);
  inviteError = $state('');
  preview = $state.raw<InvitePreview | null>(null);
  /** The code the preview was made from, so Accept accepts what was shown. */
  private previewCode = '';

  /** Contracts this installation can track time on, as contractor. */
  get trackable(): Contract[] {
    return this.items.filter((c) => c.role === 'contractor' && TRACKABLE.includes(c.state));
  }

  async load(): Promise<void> {
    if (this.status !== 'ready') this.status = 'loading';
    try {
      this.items = (await List()) ?? [];
      this.error = '';
      this.status = 'ready';
    } catch (err) {
      this.error = errorMessage(err);
      if (this.status !== 'ready') this.status = 'failed';
    }
  }

  /** Signs an offer; resolves true with offerResult set, false with offerError set. */
  async offer(form: OfferForm): Promise<boolean> {
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

  cancelReview(): void {
    this.preview = null;
    this.previewCode = '';
    this.inviteError = '';
  }

  /** Follows contracts:changed from Go by re-reading the list. Returns the unsubscribe function. */
  subscribe(): () => void {
    try {
      return EventsOn(CONTRACTS_CHANGED, () => void this.load());
    } catch {
      // No Wails runtime (plain browser, unit tests): nothing to follow.
      return () => {};
    }
  }
}

/** The app-wide contracts store. */
export const contracts = new ContractsStore();
