// The file transport in words: what saving or opening a log file or a
// reply did, and what the person does next.
import { plural } from './diary';

const entries = (n: number) => (n === 1 ? '1 entry' : `${n} entries`);

type Carried = {
  kind?: string;
  entries: number;
  images: number;
  closes?: number;
  closesLeft?: number;
  changes?: Record<string, number> | null;
  refused?: unknown[] | null;
};
type LogFile = { result: Carried; file: string; title: string };

// The employer's and contractor's records, by kind, in the order a line names them.
const changeWords: [string, string, string][] = [
  ['end', 'end of contract', 'ends of contract'],
  ['pause', 'pause', 'pauses'],
  ['resume', 'resumption', 'resumptions'],
  ['amendment', 'amendment', 'amendments'],
  ['dispute', 'dispute', 'disputes'],
  ['answer', 'answer to a dispute', 'answers to disputes'],
];

/** changesLine is "2 weeks closed, 1 dispute", or '' when the file changed nothing of the kind. */
export function changesLine(r: Carried, closed = 'closed'): string {
  const parts: string[] = [];
  if (r.closes) parts.push(`${plural(r.closes, 'week')} ${closed}`);
  for (const [kind, one, many] of changeWords) {
    const n = r.changes?.[kind] ?? 0;
    if (n > 0) parts.push(`${n} ${n === 1 ? one : many}`);
  }
  return parts.join(', ');
}

const title = (v: LogFile) => (v.title ? `“${v.title}”` : 'the contract');

/** exportedLine says where the log or the reply went and who opens it. */
export function exportedLine(v: LogFile): string {
  if (v.result.kind === 'reply') {
    const what = changesLine(v.result, 'to close');
    return (
      `Saved the reply to ${title(v)} for your contractor to ${v.file}${what ? ` (${what})` : ''}. ` +
      'Send this file to your contractor, who opens it with “Import a file” on the Contracts screen.'
    );
  }
  let line = `Saved ${entries(v.result.entries)} and ${plural(v.result.images, 'image')} of ${title(v)} to ${v.file}.`;
  if (v.result.closes) line += ` It asks your employer to close ${plural(v.result.closes, 'week')}.`;
  return line + ' Send this file to your employer, who opens it with “Import a file” on the Contracts screen and sends a reply back.';
}

/** importedLine says what arrived, what it closed and changed, and what was refused. */
export function importedLine(v: LogFile): string {
  const what = changesLine(v.result);
  if (v.result.kind === 'reply') {
    let line = `Applied your employer’s reply to ${title(v)}: ${what || 'nothing new'}.`;
    const refused = v.result.refused?.length ?? 0;
    if (refused > 0) line += ` Your employer refused ${entries(refused)}: delete those segments to void them and add correct time.`;
    return line;
  }
  const refused = v.result.refused?.length ?? 0;
  let line = `Imported the log of ${title(v)}: ${entries(v.result.entries)} and ${plural(v.result.images, 'image')}, every one verified${what ? `; ${what}` : ''}.`;
  if (refused > 0) line += ` Refused ${entries(refused)} for breaking the contract’s terms: kept, counted for nothing.`;
  return line + ' Save a reply file from the contract’s row for your contractor, or let the next sync that gets through carry it.';
}
