// The time zone times are shown in: the display zone of the settings, or
// '' for the computer's own. A rune, so every time on screen that reads it
// through format.ts follows a change made in Settings at once.
export const displayZone = $state({ name: '' });

/**
 * Sets the zone times are shown in ('' = the computer's own zone). A name
 * this browser does not know (Go's zone database may be newer) falls back
 * to the computer's zone rather than break every time on screen.
 */
export function setDisplayZone(name: string): void {
  displayZone.name = name === '' || isZone(name) ? name : '';
}

/** Whether name is a zone this browser knows. */
export function isZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The IANA zones this browser knows, to suggest while a zone is typed; none where it cannot list them. */
export function knownZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}
