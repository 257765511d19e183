// The diary grid as a contractor reads it, in a zone east of UTC (Tokyo,
// at the default 1200×775 window, then 900×600) and one west of it (New
// York, at the 900×600 minimum): manual time picked in 10-minute steps shows as one block
// per hour, a refusal names the time as typed, a short tracked session is
// drawn as the minutes it has, a working day of hour rows fits on screen,
// and approval waits out its undo window before anything is signed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { bin, cli, launchBrowser, root, startWailsDev, tempHome, waitOrExplain } from './lib/harness.mjs';

const out = join(root, 'build', 'e2e-out');
mkdirSync(out, { recursive: true });
let browser;
after(async () => { await browser?.close(); });

/** The local date and time of now in zone, as "YYYY-MM-DD" and the hour. */
function nowIn(zone) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23',
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit' }).formatToParts(new Date())
    .map((x) => [x.type, x.value]));
  return { day: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour) };
}

const pad = (n) => String(n).padStart(2, '0');

async function addManual(page, from, to, memo) {
  await page.getByTestId('diary-add-manual').click();
  const dialog = page.getByTestId('manual-dialog');
  await dialog.waitFor();
  await page.getByTestId('manual-from').selectOption(from);
  await page.getByTestId('manual-to').selectOption(to);
  await page.getByTestId('manual-memo').fill(memo);
  await page.getByTestId('manual-save').click();
  return dialog;
}

async function openDiary(page, url, day) {
  await page.goto(url);
  await page.getByTestId('nav-diary').click();
  await page.getByTestId('diary-date-input').fill(day);
  await page.getByTestId('diary-date-input').dispatchEvent('change');
}

test('the diary grid east and west of UTC, at 1200×775 and 900×600', { timeout: 20 * 60_000 }, async () => {
  const employer = tempHome('wd-e2e-grid-emp-');
  const contractor = tempHome('wd-e2e-grid-con-');
  cli(employer, 'init', '--name', 'Erin Employer');
  cli(contractor, 'init', '--name', 'Ada Contractor');
  const code = cli(employer, 'contract', 'offer', '--title', 'Grid test', '--rate', '20', '--currency', 'EUR',
    '--screenshots', '1', '--manual-time').trim();
  cli(contractor, 'contract', 'accept', code, '--offline');
  const id = JSON.parse(cli(contractor, 'contract', 'list', '--json'))[0].id;

  // Three minutes tracked at 60x: a partial segment (or two), not ten-minute cells.
  const track = spawn(join(bin, 'workdiary'), ['--home', contractor, 'track', '--contract', id, '--memo', 'short session',
    '--for', '3m', '--clock-speed', '60'], { env: { ...process.env, WORKDIARY_LOCAL_ONLY: '1' }, stdio: 'ignore' });
  assert.equal(await new Promise((resolve) => track.on('exit', resolve)), 0, 'track exits cleanly');
  const tracked = JSON.parse(cli(contractor, 'diary', '--json')).filter((s) => s.kind === 'auto');
  assert.ok(tracked.length >= 1 && tracked.every((s) => s.minutes.length < 10), `a short session gives partial segments: ${tracked.map((s) => s.minutes.length)}`);

  browser = await launchBrowser();
  const dev = await startWailsDev(contractor, { port: Number(process.env.WORKDIARY_E2E_PORT || 34177) });
  try {
    // Tokyo, at the default window size. Eight hours of manual time in the
    // past day (manual time may not end in the future, nor start more than
    // a day before the offer): today from 00:00, or yesterday when it is
    // early in Tokyo.
    const tokyo = await browser.newContext({ viewport: { width: 1200, height: 775 }, timezoneId: 'Asia/Tokyo' });
    let page = await tokyo.newPage();
    const tk = nowIn('Asia/Tokyo');
    const early = tk.hour < 9;
    const mDay = early ? new Date(Date.parse(`${tk.day}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10) : tk.day;
    const mStart = early ? tk.hour + 1 : 0;
    // The Tracker offers the memo of the last session, recorded before this launch.
    await page.goto(dev.url);
    await page.getByTestId('nav-tracker').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="tracker-memo"]')?.value === 'short session');
    await page.screenshot({ path: join(out, 'diarygrid-tracker.png') });
    await openDiary(page, dev.url, mDay);
    let dialog = await addManual(page, `${pad(mStart)}:00`, `${pad(mStart + 8)}:10`, 'Workshop notes');
    await dialog.waitFor({ state: 'detached' });
    // One block per hour, not six cards.
    const firstRow = page.locator(`[data-testid="diary-row"][data-hour="${mStart}"]`);
    const block = firstRow.getByTestId('segment-cell');
    await block.first().waitFor();
    assert.equal(await block.count(), 1, 'an hour of manual time is one block');
    assert.equal((await block.getAttribute('data-segment-ids')).split(' ').length, 6);
    assert.equal(await firstRow.getByTestId('diary-row-total').textContent(), '1 h');

    // A refusal names the time as the person picked it, in Tokyo time.
    dialog = await addManual(page, `${pad(mStart)}:30`, `${pad(mStart)}:40`, 'Overlap');
    await dialog.getByTestId('error').waitFor();
    const refusal = await dialog.getByTestId('error').textContent();
    assert.match(refusal, new RegExp(`${mDay} ${pad(mStart)}:30`), `refusal in Tokyo time: ${refusal}`);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    // A working day of hour rows is on screen at 1200×775.
    const rows = page.getByTestId('diary-row');
    const visible = await rows.evaluateAll((els) => els.filter((e) => e.getBoundingClientRect().bottom <= window.innerHeight).length);
    await page.screenshot({ path: join(out, 'diarygrid-tokyo-1200.png') });
    assert.ok(visible >= 8, `hour rows visible at 1200×775: ${visible}`);

    // Selecting does not move the grid, and the bar says how much is selected.
    // Where the grid sits in the page, whatever the scrolling.
    const top = () => page.getByTestId('diary-grid').evaluate((e) => {
      let y = 0;
      for (let n = e; n; n = n.offsetParent) y += n.offsetTop;
      return y;
    });
    const before = await top();
    await block.click();
    assert.equal(await top(), before, 'the selection bar does not shift the grid');
    assert.equal(await page.getByTestId('diary-selection-range').textContent(), `${pad(mStart)}:00–${pad(mStart + 1)}:00 (1 h)`);

    // Approve waits: Undo signs nothing.
    await page.getByTestId('diary-approve').click();
    await page.getByTestId('diary-pending').waitFor();
    await page.screenshot({ path: join(out, 'diarygrid-undo.png') });
    await page.getByTestId('diary-undo').click();
    await page.getByTestId('diary-pending').waitFor({ state: 'detached' });
    assert.equal(await top(), before, 'the undo bar does not shift the grid');
    // The same by keyboard alone: Escape clears, Space selects, Shift+Tab
    // back through the bar to Approve, Enter; focus lands on Undo.
    await block.focus();
    await page.keyboard.press('Escape');
    await page.keyboard.press(' ');
    await page.getByTestId('diary-toolbar').waitFor();
    for (let i = 0; i < 10 && !(await page.getByTestId('diary-approve').evaluate((e) => e === document.activeElement)); i++) {
      await page.keyboard.press('Shift+Tab');
    }
    await page.keyboard.press('Enter');
    await page.getByTestId('diary-pending').waitFor();
    assert.equal(await page.getByTestId('diary-undo').evaluate((e) => e === document.activeElement), true, 'focus on Undo');
    await page.keyboard.press('Enter');
    await page.getByTestId('diary-pending').waitFor({ state: 'detached' });
    await new Promise((r) => setTimeout(r, 11_000));
    assert.equal(JSON.parse(cli(contractor, 'log', '--contract', id, '--json')).seq, 0, 'nothing signed after Undo');

    // Approve day: signed once the window has passed.
    await page.getByTestId('diary-approve-day').click();
    // The day's recorded time: the manual hours (and, today, the short session).
    assert.match(await page.getByTestId('diary-pending-range').textContent(), new RegExp(`^${pad(mStart)}:00–\\d\\d:\\d\\d \\(8 h 1\\d min\\)$`));
    await waitOrExplain(page, page.locator('[data-testid="segment-badge"][data-state="approved"]').first(), dev,
      { timeout: 30_000, name: 'diarygrid-approved' });
    assert.ok(JSON.parse(cli(contractor, 'log', '--contract', id, '--json')).seq >= 49, 'signed after the undo window');

    // 900×600: usable, nothing runs off to the side.
    await page.setViewportSize({ width: 900, height: 600 });
    const overflow = await page.evaluate(() => [...document.querySelectorAll('main, .content, [data-testid="view-diary"]')]
      .some((e) => e.scrollWidth > e.clientWidth + 1));
    assert.equal(overflow, false, 'no sideways scrolling at 900×600');
    await page.screenshot({ path: join(out, 'diarygrid-tokyo-900.png') });
    await block.click();
    await page.getByTestId('diary-toolbar').waitFor();
    await page.screenshot({ path: join(out, 'diarygrid-tokyo-900-selected.png') });
    assert.equal(await page.evaluate(() => document.querySelector('[data-testid="diary-toolbar"]').scrollWidth
      <= document.querySelector('[data-testid="diary-toolbar"]').clientWidth + 1), true, 'the selection bar fits at 900×600');

    // The short session: drawn as the minutes it has.
    await page.setViewportSize({ width: 1200, height: 775 });
    if (mDay !== tk.day) await openDiary(page, dev.url, tk.day);
    const short = page.locator(`[data-testid="segment-cell"][data-segment-id="${tracked[0].id}"]`);
    await short.waitFor();
    assert.equal(Number(await short.getAttribute('data-minutes')), tracked[0].minutes.length);
    assert.equal(await short.getByTestId('segment-minutes').textContent(), `${tracked[0].minutes.length} min`);
    await short.screenshot({ path: join(out, 'diarygrid-partial-cell.png') });
    await tokyo.close();

    // New York, west of UTC, at the 900×600 minimum: 20 minutes in an
    // hour of the past day that holds no time yet.
    const ny = await browser.newContext({ viewport: { width: 900, height: 600 }, timezoneId: 'America/New_York' });
    page = await ny.newPage();
    const taken = JSON.parse(cli(contractor, 'diary', '--json')).map((x) => Date.parse(x.start));
    const hourFloor = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    let slot = 0;
    for (let k = 1; k < 20 && !slot; k++) {
      const t = hourFloor - k * 3_600_000;
      if (!taken.some((x) => x >= t && x < t + 30 * 60_000)) slot = t;
    }
    assert.ok(slot, 'a free hour in the past day');
    const nyDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date(slot));
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const start = local.format(new Date(slot)).slice(0, 2);
    await openDiary(page, dev.url, nyDay);
    dialog = await addManual(page, `${start}:00`, `${start}:20`, 'Review call');
    await dialog.waitFor({ state: 'detached' });
    const added = JSON.parse(cli(contractor, 'diary', '--json')).filter((x) => x.memo === 'Review call');
    assert.equal(added.length, 2, 'two segments of manual time');
    assert.equal(Date.parse(added[0].start), slot, 'stored at the time picked in New York');
    dialog = await addManual(page, `${start}:10`, `${start}:30`, 'Overlap');
    await dialog.getByTestId('error').waitFor();
    assert.match(await dialog.getByTestId('error').textContent(), new RegExp(`${nyDay} ${start}:10`));
    await page.screenshot({ path: join(out, 'diarygrid-newyork.png') });
    await ny.close();
  } finally {
    await dev.stop();
  }
});
