// The agent store: the settings of the part of Workdiary that keeps running
// while the window is closed (desktop notifications, starting at login).
// The only place the UI talks to app.AgentAPI.
import { Opening, SetAutostart, SetNotification, Settings } from '../../wailsjs/go/app/AgentAPI';
import type { app, node } from '../../wailsjs/go/models';
import { SETTINGS_AGENT } from '../lib/events';
import { errorMessage } from '../lib/errors';
import { followEvents } from './follow';

export type AgentSettings = node.AgentSettings;
/** The segment a screenshot notification's Open asked the window to show. */
export type SegmentOpening = app.Opening;

/** The kinds of notification, in the order Settings lists them, with their labels. */
export const NOTIFICATION_KINDS: readonly { kind: string; label: string; hint: string }[] = [
  { kind: 'screenshot', label: 'Each screenshot taken', hint: 'With a button to open its segment in the diary.' },
  { kind: 'idle', label: 'The idle question', hint: 'Keep or Discard idle time while the window is closed. Unanswered, it is discarded.' },
  { kind: 'limit', label: 'Weekly limit', hint: 'At 90 % and at 100 % of a contract’s weekly limit.' },
  { kind: 'sync', label: 'Sync problems', hint: 'Entries refused, or a counterpart not synced for more than a day.' },
  { kind: 'acceptance', label: 'Offers accepted', hint: 'When a contractor accepts one of your offers.' },
];

export class AgentStore {
  settings = $state.raw<AgentSettings | null>(null);
  /** The last backend error, in words a person can act on; '' when none. */
  error = $state('');
  saving = $state(false);

  async load(): Promise<void> {
    this.error = '';
    try {
      this.settings = await Settings();
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  /** Whether notifications of kind are on (and, for screenshots, whether a contract keeps them on). */
  isOn(kind: string): boolean {
    return this.settings?.notifications?.[kind] ?? true;
  }

  /** The screenshot notice stays on while a contract requires screenshots. */
  locked(kind: string): boolean {
    return kind === 'screenshot' && this.settings?.screenshots_required === true;
  }

  async setNotification(kind: string, on: boolean): Promise<void> {
    await this.save(() => SetNotification(kind, on));
  }

  async setAutostart(on: boolean): Promise<void> {
    await this.save(() => SetAutostart(on));
  }

  private async save(call: () => Promise<AgentSettings>): Promise<void> {
    this.saving = true;
    this.error = '';
    try {
      this.settings = await call();
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.saving = false;
    }
  }

  /** The segment the window was opened to show (once), or null. */
  async opening(): Promise<SegmentOpening | null> {
    try {
      const o = await Opening();
      return o?.segment ? o : null;
    } catch {
      return null; // no backend (plain browser): nothing to show
    }
  }

  /** Follows settings:agent (a change made with `workdiary autostart`). Returns the unsubscribe function. */
  subscribe(): () => void {
    return followEvents([[SETTINGS_AGENT, () => void this.load()]]);
  }
}

/** The app-wide agent store. */
export const agent = new AgentStore();
