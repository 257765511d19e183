// Go methods bound by Wails reject with the error's message as a plain
// string; anything else (a thrown Error, an unreachable backend) is turned
// into text here so the UI always has something a person can read.
export function errorMessage(err: unknown): string {
  if (typeof err === 'string' && err.trim() !== '') return err;
  if (err instanceof Error && err.message !== '') return err.message;
  return 'Something went wrong talking to the Workdiary backend. Restart the app and try again.';
}

/** Go's messages start in lower case ("the memo cannot be empty"); sentences in the UI do not. */
export function sentence(text: string): string {
  const t = text.trim();
  return t === '' ? t : t[0].toUpperCase() + t.slice(1);
}

/**
 * A message as a person reads it: a sentence that starts in capitals and
 * ends in a full stop, whatever form the backend gave it.
 */
export function humanError(text: string): string {
  const t = sentence(text);
  return t === '' || /[.!?…]$/.test(t) ? t : `${t}.`;
}
