// "Sync now" as both sides show it: a line per contract, and the store
// shape the sync panel reads. The contractor's and the employer's screens
// word a good round each in their own way; a failed round and the
// contract's name read the same on both.
import type { node } from '../../wailsjs/go/models';
import { sentence } from '../lib/errors';

/** One line of the "Sync now" result, per contract. */
export type SyncLine = { contract: string; ok: boolean; text: string };

/** n entries in words: "1 entry", "3 entries". */
export function entries(n: number): string {
  return n === 1 ? '1 entry' : `${n} entries`;
}

/**
 * The line for one contract's round: "<title>: <what happened>", where a
 * good round's part comes from describe.
 */
export function syncLineOf(r: node.SyncResult, describe: () => string): SyncLine {
  const title = r.title || `Contract ${r.contract.slice(0, 8)}`;
  // An offline counterpart is the everyday case: said calmly, not as a failure.
  if (r.error && r.unreachable) {
    const who = r.role === 'contractor' ? 'employer' : 'contractor';
    return { contract: r.contract, ok: true, text: `${title}: waiting for your ${who} to come online; the next sync tries again.` };
  }
  if (r.error) return { contract: r.contract, ok: false, text: `${title}: ${sentence(r.error)}` };
  return { contract: r.contract, ok: true, text: `${title}: ${describe()}` };
}

/** A store with "Sync now": what the sync panel shows and calls. */
export interface SyncingStore {
  readonly syncing: boolean;
  /** One line per contract after a round; empty before. */
  readonly syncLines: readonly SyncLine[];
  /** SyncNow itself failed (e.g. the network is not running); '' when fine. */
  readonly syncError: string;
  syncNow(): Promise<void>;
}
