// The identity store: this installation's signing identity, as the Go
// backend reports it. The only place the UI talks to app.IdentityAPI.
import { Create, Get } from '../../wailsjs/go/app/IdentityAPI';
import type { app } from '../../wailsjs/go/models';
import { IDENTITY_CREATED } from '../lib/events';
import { errorMessage } from '../lib/errors';
import { followEvents } from './follow';

export type Identity = app.IdentityView;

/** loading: first Get in flight; ready: we know whether an identity exists; failed: Get failed. */
export type IdentityStatus = 'loading' | 'ready' | 'failed';

export const EMPTY_NAME_MESSAGE = 'Enter your name. It is shown to the people you work with.';

export class IdentityStore {
  status = $state<IdentityStatus>('loading');
  identity = $state.raw<Identity | null>(null);
  /** The last backend error, in words a person can act on; '' when none. */
  error = $state('');
  creating = $state(false);

  /** Whether this installation has an identity; undefined until the first load finished. */
  get exists(): boolean | undefined {
    if (this.status !== 'ready') return undefined;
    return this.identity?.exists === true;
  }

  async load(): Promise<void> {
    this.status = 'loading';
    this.error = '';
    try {
      this.identity = await Get();
      this.status = 'ready';
    } catch (err) {
      this.error = errorMessage(err);
      this.status = 'failed';
    }
  }

  /** Creates the identity; resolves true on success, false with `error` set otherwise. */
  async create(name: string): Promise<boolean> {
    const trimmed = name.trim();
    if (trimmed === '') {
      this.error = EMPTY_NAME_MESSAGE;
      return false;
    }
    this.creating = true;
    this.error = '';
    try {
      this.identity = await Create(trimmed);
      this.status = 'ready';
      return true;
    } catch (err) {
      this.error = errorMessage(err);
      return false;
    } finally {
      this.creating = false;
    }
  }

  /**
   * Follows identity:created from Go (e.g. an identity made elsewhere while
   * the app was open) by re-reading it. Returns the unsubscribe function.
   */
  subscribe(): () => void {
    return followEvents([[IDENTITY_CREATED, () => void this.refresh()]]);
  }

  private async refresh(): Promise<void> {
    try {
      this.identity = await Get();
      this.status = 'ready';
    } catch {
      // Keep what we have; the next explicit load reports the error.
    }
  }
}

/** The app-wide identity store. */
export const identity = new IdentityStore();
