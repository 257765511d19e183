// How a counterpart is reached, in words: the paths the node reports
// (internal/p2p's Path*), and the one thing to do when none carries a sync.

export type Path = '' | 'lan' | 'direct' | 'hole-punched' | 'relayed' | 'relayed-limited' | 'file';

const WORDS: Record<Exclude<Path, ''>, string> = {
  lan: 'on your local network',
  direct: 'directly over the internet',
  'hole-punched': 'directly, through both routers',
  relayed: 'through your relay',
  'relayed-limited': 'only through a public relay',
  file: 'by log file',
};

/** pathWords says how the counterpart was reached, or '' when unknown. */
export function pathWords(path: string | undefined): string {
  return path && path in WORDS ? WORDS[path as Exclude<Path, ''>] : '';
}

/** ADVICE is what to do when only a public relay reaches the other side. */
export const RELAYED_ONLY_ADVICE =
  'A public relay carries too little for a sync. Run `workdiary serve --relay` on a computer with a public address and name it in the employer’s settings, or send the log as a file: the contractor saves it with “Save log file…” on the Contracts screen, the employer opens it with “Import a file” and sends back the reply it saves with “Save reply file…”.';

/**
 * reachLine is the line under a counterpart: how it is reached now, else
 * how the last sync went; '' when there is nothing to say yet.
 */
export function reachLine(sync: { path?: string; last_path?: string } | undefined): string {
  if (!sync) return '';
  if (sync.path) return `Reached ${pathWords(sync.path)}`;
  if (sync.last_path) return `Last synced ${pathWords(sync.last_path)}`;
  return '';
}

/** needsAdvice says whether only a public relay reaches the other side, so a sync cannot get through. */
export function needsAdvice(sync: { path?: string } | undefined): boolean {
  return sync?.path === 'relayed-limited';
}
