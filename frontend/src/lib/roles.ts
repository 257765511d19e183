// Who this installation is to the people it works with: employer on some
// contracts, contractor on others, or both. The sidebar shows the screens of
// the roles a person has, and the app opens on the screen they need first.
import { VIEWS, type ViewId } from './views';

export type Roles = { employer: boolean; contractor: boolean };

/** What a person chose at the start, before any contract says it. */
export type Intent = 'employer' | 'contractor' | 'both' | '';

/** The fields of a contract the roles are read from. */
type Party = { role: string; state: string };

/** States in which a contractor tracks time. */
const TRACKABLE: readonly string[] = ['accepted-pending-delivery', 'active'];

/**
 * The roles an installation has: every contract it is party to names one,
 * and the intent chosen at the start adds its own until contracts exist.
 */
export function rolesOf(items: readonly Party[], intent: Intent = ''): Roles {
  return {
    employer: intent === 'employer' || intent === 'both' || items.some((c) => c.role === 'employer'),
    contractor: intent === 'contractor' || intent === 'both' || items.some((c) => c.role === 'contractor'),
  };
}

/** Screens only an employer uses. */
const EMPLOYER_ONLY: readonly ViewId[] = ['team'];
/** Screens only a contractor uses. */
const CONTRACTOR_ONLY: readonly ViewId[] = ['tracker', 'diary'];

/**
 * The screens to show, in sidebar order. Without a role yet there are only
 * the first steps (Contracts) and Settings.
 */
export function viewsFor(roles: Roles): ViewId[] {
  return VIEWS.map((v) => v.id).filter((id) => {
    if (EMPLOYER_ONLY.includes(id)) return roles.employer;
    if (CONTRACTOR_ONLY.includes(id)) return roles.contractor;
    if (id === 'timesheets') return roles.employer || roles.contractor;
    return true;
  });
}

/**
 * The screen the app opens on: a contractor with a contract to work on
 * starts at the Tracker; an employer with any contract (running, or an
 * offer waiting for its contractor) at the Team; anyone else at Contracts,
 * where the first steps are.
 */
export function landingView(items: readonly Party[], roles: Roles): ViewId {
  if (roles.contractor && items.some((c) => c.role === 'contractor' && TRACKABLE.includes(c.state))) return 'tracker';
  if (roles.employer && items.some((c) => c.role === 'employer')) return 'team';
  return 'contracts';
}

/** Where the intent is kept: per identity, so two data folders never share one. */
export function intentKey(fingerprint: string): string {
  return `workdiary.intent.${fingerprint}`;
}

export function loadIntent(fingerprint: string | undefined): Intent {
  if (!fingerprint) return '';
  try {
    const v = globalThis.localStorage?.getItem(intentKey(fingerprint)) ?? '';
    return v === 'employer' || v === 'contractor' || v === 'both' ? v : '';
  } catch {
    return '';
  }
}

export function saveIntent(fingerprint: string | undefined, intent: Intent): void {
  if (!fingerprint) return;
  try {
    globalThis.localStorage?.setItem(intentKey(fingerprint), intent);
  } catch {
    // A webview without storage asks again on the next run; nothing breaks.
  }
}
