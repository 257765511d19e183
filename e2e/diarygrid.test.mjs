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
import { bin, cli, launchBrowser, root, startWailsDev, tempHome } from './lib/harness.mjs';

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
    // Tokyo, at the default window size.
    const tokyo = await browser.newContext({ viewport: { width: 1200, height: 775 }, timezoneId: 'Asia/Tokyo' });
    let page = await tokyo.newPage();
    const tk = nowIn('Asia/Tokyo');
    assert.ok(tk.hour >= 1, 'Tokyo is past 01:00 (the manual time below lies in the past)');
    const hours = Math.min(8, tk.hour); // eight hour rows where the day allows
    // The Tracker offers the memo of the last session, recorded before this launch.
    await page.goto(dev.url);
    await page.getByTestId('nav-tracker').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="tracker-memo"]')?.value === 'short session');
    await page.screenshot({ path: join(out, 'diarygrid-tracker.png') });
    await openDiary(page, dev.url, tk.day);
    let dialog = await addManual(page, '00:00', `${pad(hours)}:10`, 'Workshop notes');
    await dialog.waitFor({ state: 'detached' });
    // One block per hour, not six cards.
    const rowZero = page.locator('[data-testid="diary-row"][data-hour="0"] [data-testid="segment-cell"]');
    await rowZero.first().waitFor();
    assert.equal(await rowZero.count(), 1, 'an hour of manual time is one block');
    assert.equal((await rowZero.getAttribute('data-segment-ids')).split(' ').length, 6);
    assert.equal(await page.locator('[data-testid="diary-row"][data-hour="0"] [data-testid="diary-row-total"]').textContent(), '1 h');

    // A refusal names the time as the person picked it, in Tokyo time.
    dialog = await addManual(page, '00:30', '00:40', 'Overlap');
    await dialog.getByTestId('error').waitFor();
    const refusal = await dialog.getByTestId('error').textContent();
    assert.match(refusal, new RegExp(`${tk.day} 00:30`), `refusal in Tokyo time: ${refusal}`);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    // The short session: drawn as the minutes it has.
    const short = page.locator(`[data-testid="segment-cell"][data-segment-id="${tracked[0].id}"]`);
    await short.waitFor();
    assert.equal(Number(await short.getAttribute('data-minutes')), tracked[0].minutes.length);
    assert.equal(await short.getByTestId('segment-minutes').textContent(), `${tracked[0].minutes.length} min`);
    await short.screenshot({ path: join(out, 'diarygrid-partial-cell.png') });

    // A working day of hour rows is on screen at 1200×775.
    const rows = page.getByTestId('diary-row');
    const visible = await rows.evaluateAll((els) => els.filter((e) => e.getBoundingClientRect().bottom <= window.innerHeight).length);
    await page.screenshot({ path: join(out, 'diarygrid-tokyo-1200.png') });
    assert.ok(visible >= Math.min(8, hours + 1), `hour rows visible at 1200×775: ${visible}`);

    // Selecting does not move the grid, and the bar says how much is selected.
    // Where the grid sits in the page, whatever the scrolling.
    const top = () => page.getByTestId('diary-grid').evaluate((e) => {
      let y = 0;
      for (let n = e; n; n = n.offsetParent) y += n.offsetTop;
      return y;
    });
    const before = await top();
    await short.click();
    assert.equal(await top(), before, 'the selection bar does not shift the grid');
    assert.match(await page.getByTestId('diary-selection-range').textContent(), /^\d\d:\d\d–\d\d:\d\d \(\d+ min\)$/);

    // Approve waits: Undo signs nothing.
    await page.getByTestId('diary-approve').click();
    await page.getByTestId('diary-pending').waitFor();
    await page.screenshot({ path: join(out, 'diarygrid-undo.png') });
    await page.getByTestId('diary-undo').click();
    await page.getByTestId('diary-pending').waitFor({ state: 'detached' });
    assert.equal(await top(), before, 'the undo bar does not shift the grid');
    await new Promise((r) => setTimeout(r, 11_000));
    assert.equal(JSON.parse(cli(contractor, 'log', '--contract', id, '--json')).seq, 0, 'nothing signed after Undo');

    // Approve day: signed once the window has passed.
    await page.getByTestId('diary-approve-day').click();
    assert.match(await page.getByTestId('diary-pending-range').textContent(), /^\d\d:\d\d–\d\d:\d\d \(.+\)$/);
    await page.locator('[data-testid="segment-badge"][data-state="approved"]').first().waitFor({ timeout: 30_000 });
    assert.ok(JSON.parse(cli(contractor, 'log', '--contract', id, '--json')).seq > 0, 'signed after the undo window');

    // 900×600: usable, nothing runs off to the side.
    await page.setViewportSize({ width: 900, height: 600 });
    const overflow = await page.evaluate(() => [...document.querySelectorAll('main, .content, [data-testid="view-diary"]')]
      .some((e) => e.scrollWidth > e.clientWidth + 1));
    assert.equal(overflow, false, 'no sideways scrolling at 900×600');
    await page.screenshot({ path: join(out, 'diarygrid-tokyo-900.png') });
    await rowZero.click();
    await page.getByTestId('diary-toolbar').waitFor();
    await page.screenshot({ path: join(out, 'diarygrid-tokyo-900-selected.png') });
    assert.equal(await page.evaluate(() => document.querySelector('[data-testid="diary-toolbar"]').scrollWidth
      <= document.querySelector('[data-testid="diary-toolbar"]').clientWidth + 1), true, 'the selection bar fits at 900×600');
    await tokyo.close();

    // New York, west of UTC, at the 900×600 minimum.
    const ny = await browser.newContext({ viewport: { width: 900, height: 600 }, timezoneId: 'America/New_York' });
    page = await ny.newPage();
    const nyNow = nowIn('America/New_York');
    const start = Math.max(0, nyNow.hour - 2);
    await openDiary(page, dev.url, nyNow.day);
    dialog = await addManual(page, `${pad(start)}:00`, `${pad(start)}:20`, 'Review call');
    await dialog.waitFor({ state: 'detached' });
    const added = JSON.parse(cli(contractor, 'diary', '--json')).filter((s) => s.memo === 'Review call');
    assert.equal(added.length, 2, 'two segments of manual time');
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    assert.equal(local.format(new Date(added[0].start)), `${pad(start)}:00`, 'stored at the time picked in New York');
    dialog = await addManual(page, `${pad(start)}:10`, `${pad(start)}:30`, 'Overlap');
    await dialog.getByTestId('error').waitFor();
    assert.match(await dialog.getByTestId('error').textContent(), new RegExp(`${nyNow.day} ${pad(start)}:10`));
    await page.screenshot({ path: join(out, 'diarygrid-newyork.png') });
    await ny.close();
  } finally {
    await dev.stop();
  }
});
