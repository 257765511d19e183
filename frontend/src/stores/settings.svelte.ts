// The settings store: config.json's settings, changed one field at a time
// through Go (the same op as `workdiary config set`), with Go's reason next
// to the field when a value is refused. The only place the UI talks to
// app.SettingsAPI. It also sets the display zone every time on screen uses.
import { ChooseFolder, Get, MoveFolder, RunningApps, Set } from '../../wailsjs/go/app/SettingsAPI';
import type { capture, node } from '../../wailsjs/go/models';
import { errorMessage, humanError, sentence } from '../lib/errors';
import { SETTINGS_CHANGED } from '../lib/events';
import { setDisplayZone } from '../lib/zone.svelte';
import { followEvents } from './follow';

export type Settings = node.Settings;
export type RunningApp = capture.App;

/** Setting keys, as config.json and `workdiary config` name them. */
export const KEYS = {
  idleMinutes: 'idle_minutes',
  excludedApps: 'excluded_apps',
  autoApproveHours: 'auto_approve_hours',
  relays: 'relays',
  bootstrap: 'bootstrap',
  lanDiscovery: 'lan_discovery',
  portMapping: 'port_mapping',
  listenPort: 'listen_port',
  displayZone: 'display_zone',
} as const;

/** A move of the data folder: under way, refused or failed (error), or done (note). */
export type MoveState = { busy: boolean; error: string; note: string };

/** What a field says under it after a save: its error, or that it was saved. */
export type FieldState = { error: string; note: string; saving: boolean };

const IDLE_FIELD: FieldState = Object.freeze({ error: '', note: '', saving: false }) as FieldState;

/** Go's refusal "idle_minutes: must be …" as the sentence shown by the field. */
export function fieldMessage(key: string, err: unknown): string {
  const text = errorMessage(err);
  return sentence(text.startsWith(`${key}: `) ? text.slice(key.length + 2) : text);
}

/** A list as Go keeps it (one item a line) from what a person typed (lines or commas). */
export function listValue(items: readonly string[]): string {
  return items
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .join('\n');
}

/** What to change when a flag or the environment named the folder that moved ('' when nothing). */
export function stillNamed(chosenBy: string, to: string): string {
  if (chosenBy === 'WORKDIARY_HOME')
    return ` WORKDIARY_HOME still names the old place: set it to ${to}, or unset it, before Workdiary next starts.`;
  if (chosenBy === '--home')
    return ` Workdiary was started with --home naming the old place: start it without --home, or with --home ${to}.`;
  return '';
}

/** A byte count as a person reads it: "1.4 GB". */
export function formatBytes(n: number): string {
  if (n < 1000) return `${Math.max(0, n)} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

export class SettingsStore {
  status = $state<'loading' | 'ready' | 'failed'>('loading');
  settings = $state.raw<Settings | null>(null);
  /** The last load error; '' when none. */
  error = $state('');
  fields = $state<Record<string, FieldState>>({});
  apps = $state.raw<RunningApp[]>([]);
  move = $state<MoveState>({ busy: false, error: '', note: '' });
  appsError = $state('');
  appsLoading = $state(false);

  /** A setting's saved value as text ('' before the first load). */
  value(key: string): string {
    return this.settings?.values?.[key] ?? '';
  }

  /** A saved list setting's items. */
  list(key: string): string[] {
    return this.value(key)
      .split('\n')
      .filter((s) => s !== '');
  }

  field(key: string): FieldState {
    return this.fields[key] ?? IDLE_FIELD;
  }

  /** Whether a running node applies key only when it next starts. */
  nextStart(key: string): boolean {
    return this.settings?.next_start?.includes(key) ?? false;
  }

  async load(): Promise<void> {
    this.error = '';
    try {
      this.apply(await Get());
      this.status = 'ready';
    } catch (err) {
      this.error = sentence(errorMessage(err));
      this.status = 'failed';
    }
  }

  /**
   * Saves one setting; resolves true when Go took it. A refused value
   * leaves the saved one in place and the reason by the field.
   */
  async set(key: string, value: string): Promise<boolean> {
    this.fields[key] = { error: '', note: '', saving: true };
    try {
      const r = await Set(key, value);
      const note = r.applied === 'now' ? 'Saved.' : 'Saved. Applies when Workdiary next starts.';
      this.fields[key] = { error: '', note, saving: false };
      await this.reload();
      return true;
    } catch (err) {
      this.fields[key] = { error: fieldMessage(key, err), note: '', saving: false };
      return false;
    }
  }

  /** Forgets what a field said, e.g. when the person edits it again. */
  clear(key: string): void {
    if (this.fields[key]) this.fields[key] = IDLE_FIELD;
  }

  /** Reads the apps with a window on screen, to pick one to exclude. */
  async loadApps(): Promise<void> {
    this.appsLoading = true;
    this.appsError = '';
    try {
      this.apps = await RunningApps();
    } catch (err) {
      this.appsError = errorMessage(err);
      this.apps = [];
    } finally {
      this.appsLoading = false;
    }
  }

  /**
   * Moves the data folder to the empty or new folder `to`. Go pauses
   * recording and sync, moves it, and carries on there; a refused or
   * failed move leaves it where it was, and says why.
   */
  async moveFolder(to: string): Promise<boolean> {
    const place = to.trim();
    if (place === '') {
      this.move = { busy: false, error: 'Type or choose the new place for the data folder.', note: '' };
      return false;
    }
    this.move = { busy: true, error: '', note: '' };
    try {
      const r = await MoveFolder(place);
      const how = r.copy ? `copied to the other disk, checked file by file and removed from ${r.from}` : 'renamed';
      this.move = { busy: false, error: '', note: `Moved to ${r.to} (${how}).${stillNamed(r.chosen_by ?? '', r.to)}` };
      return true;
    } catch (err) {
      this.move = { busy: false, error: humanError(errorMessage(err)), note: '' };
      return false;
    } finally {
      await this.reload();
    }
  }

  /** Asks for the new place with the system's folder dialog ('' when cancelled). */
  async chooseFolder(): Promise<string> {
    try {
      return await ChooseFolder();
    } catch (err) {
      this.move = { busy: false, error: humanError(errorMessage(err)), note: '' };
      return '';
    }
  }

  /** Forgets what the last move said. */
  clearMove(): void {
    if (!this.move.busy) this.move = { busy: false, error: '', note: '' };
  }

  /** Follows settings:changed (e.g. `workdiary config set`). Returns the unsubscribe function. */
  subscribe(): () => void {
    return followEvents([[SETTINGS_CHANGED, (s: Settings) => s && this.apply(s)]]);
  }

  private async reload(): Promise<void> {
    try {
      this.apply(await Get());
    } catch {
      // Keep what we have; the saved value is in Go either way.
    }
  }

  private apply(s: Settings): void {
    this.settings = s;
    setDisplayZone(s.values?.[KEYS.displayZone] ?? '');
  }
}

/** The app-wide settings store. */
export const settings = new SettingsStore();
