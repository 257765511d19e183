// Event names the Go backend emits to the UI, as `domain:verb`.
// Go mirrors every constant here in app/events.go; change both together.

/** Emitted by Go after a new identity was created and saved. */
export const IDENTITY_CREATED = 'identity:created';
/** A contract was offered, accepted, delivered or ended: re-read the list. */
export const CONTRACTS_CHANGED = 'contracts:changed';
/** The tracker recorded a minute. */
export const TRACKER_MINUTE = 'tracker:minute';
/** The tracker took a screenshot; the payload's thumb is its data: URL. */
export const TRACKER_SCREENSHOT = 'tracker:screenshot';
/**
 * Idle started, input came back or tracking started with a question an earlier run left open
 * (kind 'idle-question'; tracking goes on while it waits), or the answer was applied.
 */
export const TRACKER_IDLE = 'tracker:idle';
/** The weekly limit is near (kind 'limit-warning') or reached ('limit-reached'). */
export const TRACKER_LIMIT = 'tracker:limit';
/** Something went wrong while tracking, e.g. no camera; tracking continues. */
export const TRACKER_PROBLEM = 'tracker:problem';
/** The session ended; message says why when it stopped by itself. */
export const TRACKER_STOPPED = 'tracker:stopped';
/** Segments were deleted, blurred, re-memoed, added or approved: re-read the diary. */
export const DIARY_CHANGED = 'diary:changed';
/** A sync ran or a counterpart came online or went offline: re-read team and tracker state. */
export const SYNC_CHANGED = 'sync:changed';
/** A contractor's sync round moved on: an image sent, a batch acknowledged, done. */
export const SYNC_PROGRESS = 'sync:progress';
/** A setting changed (in Settings or by `workdiary config set`); the payload is every setting. */
export const SETTINGS_CHANGED = 'settings:changed';

/** Notifications or autostart were switched, here or with `workdiary autostart`: re-read them. */
export const SETTINGS_AGENT = 'settings:agent';

/** What Go sends with sync:progress. */
export type SyncProgressEvent = {
  /** The contract ID, 64 hex characters. */
  contract: string;
  /** 'waiting' (the employer is busy with other rounds), 'sending', 'checkpoint' or 'done'. */
  stage: string;
  /** Entries the employer has acknowledged, of total. */
  sent: number;
  total: number;
  /** Images sent so far, of images_total that the batches sent so far name. */
  images: number;
  images_total: number;
};

/** How far a round has come, from 0 to 1: by images while they flow, else by entries. */
export function syncFraction(p: SyncProgressEvent): number {
  if (p.stage === 'done') return 1;
  if (p.images_total > 0) return Math.min(1, p.images / p.images_total);
  return p.total > 0 ? Math.min(1, p.sent / p.total) : 0;
}

/** What Go sends with every tracker:* event. */
export type TrackerEvent = {
  kind: string;
  /** RFC 3339. */
  at: string;
  segment: string;
  message: string;
  /** Screenshot events: the thumbnail as a data: URL. */
  thumb: string;
};
