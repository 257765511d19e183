import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../wailsjs/go/app/TimesheetsAPI');

import { Export, Verify } from '../../wailsjs/go/app/TimesheetsAPI';
import { readBase64 } from '../lib/files';
import { CONTRACT_ID, OTHER_CONTRACT_ID, someTimesheetResult, someVerifyView, timesheetSummary } from '../testing/fixtures';
import { normalizeWeek, TimesheetsStore, weekError, weeksInYear } from './timesheets.svelte';

const exportMock = vi.mocked(Export);
const verifyMock = vi.mocked(Verify);
/** "PK\x03\x04" and a byte that is not ASCII, so base64 is not the text itself. */
const BYTES = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0xff]);
const BASE64 = 'UEsDBP8=';

const zip = (name = 'timesheet.zip') => new File([BYTES], name, { type: 'application/zip' });

beforeEach(() => {
  vi.resetAllMocks();
});

describe('weeks', () => {
  it('accepts ISO weeks that exist, in any case, and says why others are not', () => {
    expect(weekError('2026-W48')).toBe('');
    expect(weekError(' 2026-w01 ')).toBe('');
    expect(normalizeWeek(' 2026-w01 ')).toBe('2026-W01');
    expect(weekError('2026-W53')).toBe('');
    expect(weekError('2025-W52')).toBe('');

    expect(weekError('')).toBe('Enter the week as YYYY-Www, e.g. 2026-W48.');
    expect(weekError('2026-48')).toBe('Enter the week as YYYY-Www, e.g. 2026-W48.');
    expect(weekError('2026-W4')).toBe('Enter the week as YYYY-Www, e.g. 2026-W48.');
    expect(weekError('2025-W53')).toBe('2025 has weeks W01 to W52; there is no week W53.');
    expect(weekError('2026-W00')).toBe('2026 has weeks W01 to W53; there is no week W00.');
  });

  it('knows the years with 53 weeks', () => {
    expect([2015, 2020, 2026].map(weeksInYear)).toEqual([53, 53, 53]);
    expect([2019, 2024, 2025].map(weeksInYear)).toEqual([52, 52, 52]);
  });
});

describe('TimesheetsStore.export', () => {
  it('shows exporting, then the result; a second click meanwhile does nothing', async () => {
    const store = new TimesheetsStore();
    let done!: (v: ReturnType<typeof someTimesheetResult>) => void;
    exportMock.mockReturnValue(new Promise((r) => (done = r)));

    const run = store.export(CONTRACT_ID, ' 2026-w48');
    expect(exportMock).toHaveBeenCalledWith(CONTRACT_ID, '2026-W48');
    expect(store.entry(CONTRACT_ID)).toEqual({ week: '2026-W48', exporting: true, error: '', result: null });
    expect(store.entry(OTHER_CONTRACT_ID).exporting).toBe(false);
    expect(await store.export(CONTRACT_ID, '2026-W48')).toBe(false);
    expect(exportMock).toHaveBeenCalledTimes(1);

    done(someTimesheetResult());
    expect(await run).toBe(true);
    expect(store.entry(CONTRACT_ID).exporting).toBe(false);
    expect(store.entry(CONTRACT_ID).result?.summary).toBe(timesheetSummary());
    expect(store.entry(CONTRACT_ID).result?.files.zip).toMatch(/exports\/timesheet-aaaaaaaaaaaa-2026-W48\.zip$/);

    store.clear(CONTRACT_ID);
    expect(store.entry(CONTRACT_ID)).toEqual({ week: '', exporting: false, error: '', result: null });
  });

  it('reports the backend reason as a sentence, and refuses a bad week without calling it', async () => {
    const store = new TimesheetsStore();
    exportMock.mockRejectedValue('no cosigned checkpoint yet: sync with the other party first');

    expect(await store.export(CONTRACT_ID, '2026-W48')).toBe(false);
    expect(store.entry(CONTRACT_ID).error).toBe('No cosigned checkpoint yet: sync with the other party first');
    expect(store.entry(CONTRACT_ID).result).toBeNull();

    exportMock.mockClear();
    expect(await store.export(OTHER_CONTRACT_ID, 'last week')).toBe(false);
    expect(exportMock).not.toHaveBeenCalled();
    expect(store.entry(OTHER_CONTRACT_ID).error).toBe('Enter the week as YYYY-Www, e.g. 2026-W48.');
    // Each contract keeps its own state.
    expect(store.entry(CONTRACT_ID).error).toMatch(/^No cosigned checkpoint/);
  });
});

describe('readBase64', () => {
  it("gives the file's bytes as base64 without the data: prefix", async () => {
    expect(await readBase64(zip())).toBe(BASE64);
    expect(await readBase64(new File([], 'empty.zip'))).toBe('');
  });
});

describe('TimesheetsStore.verify', () => {
  it('sends the zip as base64 and shows a valid summary', async () => {
    const store = new TimesheetsStore();
    verifyMock.mockResolvedValue(someVerifyView());

    const run = store.verify(zip('week48.zip'));
    expect(store.verifying).toBe(true);
    expect(store.verifyFile).toBe('week48.zip');
    await run;

    expect(verifyMock).toHaveBeenCalledWith(BASE64);
    expect(store.verifying).toBe(false);
    expect(store.verifyResult).toEqual({ state: 'valid', file: 'week48.zip', text: timesheetSummary(), view: someVerifyView() });
    expect(store.verifyError).toBe('');
  });

  it('shows an invalid bundle with its reason, and any other failure as an error', async () => {
    const store = new TimesheetsStore();
    verifyMock.mockRejectedValue('INVALID: timesheet signature: does not verify');
    await store.verify(zip('forged.zip'));
    expect(store.verifyResult).toEqual({ state: 'invalid', file: 'forged.zip', text: 'Timesheet signature: does not verify' });
    expect(store.verifyError).toBe('');

    verifyMock.mockRejectedValue(new Error(''));
    await store.verify(zip());
    expect(store.verifyResult).toBeNull();
    expect(store.verifyError).toMatch(/^Something went wrong talking to the Workdiary backend/);
    expect(store.verifying).toBe(false);
  });

  it("lets a newer file's answer win over an older one", async () => {
    const store = new TimesheetsStore();
    let slow!: (v: ReturnType<typeof someVerifyView>) => void;
    verifyMock.mockReturnValueOnce(new Promise((r) => (slow = r)));
    verifyMock.mockResolvedValueOnce(someVerifyView('valid: newer'));

    const first = store.verify(zip('old.zip'));
    await vi.waitFor(() => expect(verifyMock).toHaveBeenCalledTimes(1));
    await store.verify(zip('new.zip'));
    slow(someVerifyView('valid: older'));
    await first;

    expect(store.verifyResult).toEqual({ state: 'valid', file: 'new.zip', text: 'valid: newer', view: someVerifyView('valid: newer') });
    expect(store.verifying).toBe(false);
  });
});
