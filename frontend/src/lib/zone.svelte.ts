// The time zone times are shown in: the display zone of the settings, or
// '' for the computer's own. A rune, so every time on screen that reads it
// through format.ts follows a change made in Settings at once.
export const displayZone = $state({ name: '' });

/** Sets the zone times are shown in ('' = the computer's own zone). */
export function setDisplayZone(name: string): void {
  displayZone.name = name;
}
