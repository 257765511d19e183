// The roles store: which roles this installation has (employer, contractor
// or both), read from the contracts it is party to and from what the person
// chose at the start. The sidebar, the landing screen and the first steps
// on each screen follow it.
import { landingView, loadIntent, rolesOf, saveIntent, viewsFor, type Intent, type Roles } from '../lib/roles';
import type { ViewId } from '../lib/views';
import { contracts as sharedContracts, type ContractsStore } from './contracts.svelte';

export class RolesStore {
  /** The choice made at the start; '' when none was made on this identity. */
  intent = $state<Intent>('');
  private fingerprint = '';

  constructor(private readonly contracts: ContractsStore = sharedContracts) {}

  get roles(): Roles {
    return rolesOf(this.contracts.items, this.intent);
  }

  /** Neither role yet: only the first steps make sense. */
  get isNew(): boolean {
    const r = this.roles;
    return !r.employer && !r.contractor;
  }

  get views(): ViewId[] {
    return viewsFor(this.roles);
  }

  get landing(): ViewId {
    return landingView(this.contracts.items, this.roles);
  }

  /** Reads the intent kept for this identity. */
  use(fingerprint: string | undefined): void {
    this.fingerprint = fingerprint ?? '';
    this.intent = loadIntent(fingerprint);
  }

  /** Records a choice; choosing the other role later adds it ("both"). */
  choose(intent: Intent): void {
    const next: Intent =
      this.intent && intent && this.intent !== intent && intent !== 'both' ? 'both' : intent || this.intent;
    this.intent = next;
    saveIntent(this.fingerprint, next);
  }
}

/** The app-wide roles store. */
export const roles = new RolesStore();
