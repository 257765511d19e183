// The window's "usable" signal: the first screen has rendered with its
// data. Go logs the time from the process's start (the cold-start and
// reopen figures of `make bench`); it is said once per window.
import { Shown } from '../../wailsjs/go/app/AgentAPI';

let told = false;

/** Says, once, that screen has rendered with its data; after the next paint. */
export function shown(screen: string): void {
  if (told) return;
  told = true;
  const tell = () => {
    try {
      void Shown(screen).catch(() => undefined);
    } catch {
      // No Go side (unit tests): nobody to tell.
    }
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(tell, 0));
  else setTimeout(tell, 0);
}
