// The file transport in words: what saving or opening a log file did, and
// what the person does next.
import { plural } from './diary';

const entries = (n: number) => (n === 1 ? '1 entry' : `${n} entries`);

type Carried = { entries: number; images: number; refused?: unknown[] | null };
type LogFile = { result: Carried; file: string; title: string };

/** exportedLine says where the log went and who opens it. */
export function exportedLine(v: LogFile): string {
  return (
    `Saved ${entries(v.result.entries)} and ${plural(v.result.images, 'image')} of “${v.title}” to ${v.file}. ` +
    'Send this file to your employer, who opens it with “Import a log file” on the Contracts screen.'
  );
}

/** importedLine says what arrived, and what was refused. */
export function importedLine(v: LogFile): string {
  const refused = v.result.refused?.length ?? 0;
  const title = v.title ? `“${v.title}”` : 'the contract';
  let line = `Imported the log of ${title}: ${entries(v.result.entries)} and ${plural(v.result.images, 'image')}, every one verified.`;
  if (refused > 0) line += ` Refused ${entries(refused)} for breaking the contract’s terms: kept, counted for nothing.`;
  return line + ' Your receipt reaches the contractor at the next sync that gets through.';
}
