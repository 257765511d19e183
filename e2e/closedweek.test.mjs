// A closed week in the app: two served data folders on a shared clock
// four weeks back put time into a week, then, on a clock past that week's
// deadline, the contractor's app closes it with the employer over a real
// sync on loopback. The app shows the week closed and cosigned with the
// employer's dispute, reads its diary day as closed, adds manual time in
// the current week that corrects it, and exports the two timesheets whose
// CSVs show the correction and the dispute; the employer's node shows the
// correction too.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { bin, cli, launchBrowser, root, startWailsDev, tempHome, waitOrExplain } from './lib/harness.mjs';

const out = join(root, 'build', 'e2e-out');
mkdirSync(out, { recursive: true });

const DAY = 86_400_000;
const port = Number(process.env.WORKDIARY_E2E_PORT || 34180);
const procs = [];
let browser;
after(async () => {
  await browser?.close();
  for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
});

/** The ISO week holding d, "2026-W48", counted in UTC as contract weeks are. */
function isoWeek(d) {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  t.setUTCDate(t.getUTCDate() + 3 - ((t.getUTCDay() + 6) % 7));
  const jan4 = new Date(Date.UTC(t.getUTCFullYear(), 0, 4));
  const n = 1 + Math.round((t - jan4) / DAY / 7 - (3 - ((jan4.getUTCDay() + 6) % 7)) / 7);
  return `${t.getUTCFullYear()}-W${String(n).padStart(2, '0')}`;
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port: p } = s.address();
      s.close(() => resolve(p));
    });
  });
}

/** The demo clock from `at` on, as `serve` and the app read it. */
const clockAt = (at) => ({ WORKDIARY_CLOCK_SPEED: '1', WORKDIARY_CLOCK_AT: at.toISOString() });

/** `workdiary serve` on home with the clock at `at`; resolves once it serves. */
function serve(home, listen, at) {
  const p = spawn(join(bin, 'workdiary'), ['--home', home, 'serve', '--listen', listen],
    { env: { ...process.env, WORKDIARY_LOCAL_ONLY: '1', ...clockAt(at) } });
  procs.push(p);
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${buf}`)), 30_000);
    const seen = (d) => {
      buf += d;
      if (buf.includes('Serving')) { clearTimeout(timer); resolve(p); }
    };
    p.stdout.on('data', seen);
    p.stderr.on('data', (d) => { buf += d; });
  });
}

async function stop(p) {
  if (p.exitCode !== null) return;
  const exited = new Promise((r) => p.on('exit', r));
  p.kill('SIGTERM');
  await exited;
}

/**
 * `workdiary sync` of one contract, failing with what it printed. The app
 * syncs by itself too, and a round that meets another of the same log ends
 * early ("another sync … committed first"), so a failed round is run again.
 */
async function sync(home, id) {
  for (let attempt = 1; ; attempt++) {
    try {
      return cli(home, 'sync', '--contract', id);
    } catch (err) {
      if (attempt === 3) throw new Error(`sync failed: ${err.stdout}${err.stderr}`);
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

/** The CSV's rows as objects by column name. */
function readCSV(path) {
  const text = readFileSync(path, 'utf8');
  const rows = [];
  let row = [''];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { row[row.length - 1] += '"'; i++; }
      else if (ch === '"') quoted = false;
      else row[row.length - 1] += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push('');
    else if (ch === '\r' && text[i + 1] === '\n') { rows.push(row); row = ['']; i++; }
    else row[row.length - 1] += ch;
  }
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

test('a closed week: shown closed with its dispute, corrected in the current week, in the CSVs', { timeout: 20 * 60_000 }, async () => {
  // W is the week four weeks back; time goes in on its Monday, and the
  // app runs on the Tuesday after, past W's deadline (Tuesday 00:00 UTC)
  // and inside the employer's review window.
  const now = new Date();
  const monday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - ((now.getUTCDay() + 6) % 7) * DAY - 28 * DAY);
  const week = isoWeek(monday);
  const next = isoWeek(new Date(monday.getTime() + 7 * DAY));
  const before = new Date(monday.getTime() + 10 * 3600_000);
  const later = new Date(monday.getTime() + 8 * DAY + 12 * 3600_000);
  const at = (ms) => new Date(monday.getTime() + ms).toISOString();

  const employer = tempHome('wd-e2e-cw-emp-');
  const contractor = tempHome('wd-e2e-cw-con-');
  cli(employer, 'init', '--name', 'Erin Employer');
  cli(contractor, 'init', '--name', 'Ada Contractor');
  const empListen = `/ip4/127.0.0.1/tcp/${await freePort()}`;

  // Monday of W: an offer, its acceptance and half an hour of manual time, synced.
  let emp = await serve(employer, empListen, before);
  let con = await serve(contractor, '/ip4/127.0.0.1/tcp/0', before);
  const code = cli(employer, 'contract', 'offer', '--title', 'Closed week', '--rate', '40', '--currency', 'EUR',
    '--weekly-limit', '40', '--manual-time').trim();
  cli(contractor, 'contract', 'accept', code);
  const id = JSON.parse(cli(contractor, 'contract', 'list', '--json'))[0].id;
  cli(contractor, 'diary', 'add-manual', '--contract', id, '--from', at(9 * 3600_000), '--to', at(9.5 * 3600_000), '--memo', 'Kick-off');
  cli(contractor, 'approve', '--contract', id, '--all');
  await sync(contractor, id);
  await stop(con);
  await stop(emp);

  // The Tuesday after: the employer serves again; the contractor opens the app.
  emp = await serve(employer, empListen, later);
  // Past W's deadline the employer disputes ten minutes of it; the app's
  // first round binds the dispute and then sends W's close at its head,
  // which the employer cosigns, so W's timesheet carries the dispute.
  cli(employer, 'contract', 'dispute', id, '--from', at(9 * 3600_000), '--to', at(9 * 3600_000 + 600_000), '--reason', 'Not this project');
  browser = await launchBrowser();
  const dev = await startWailsDev(contractor, { port, env: { TZ: 'UTC', VITE_PORT: String(port + 100), ...clockAt(later) } });
  let csvNext;
  let csvWeek;
  try {
    await sync(contractor, id);
    const weeks = JSON.parse(cli(employer, 'contract', 'weeks', id, '--json'));
    const closed = weeks.find((w) => w.week === week);
    assert.ok(closed?.state === 'closed' && closed.cosigned, `the employer's ${week}: ${JSON.stringify(closed)}`);

    const context = await browser.newContext({ timezoneId: 'UTC', viewport: { width: 1300, height: 1000 } });
    const page = await context.newPage();
    await page.goto(dev.url);

    // Timesheets: W closed, cosigned by both, with the dispute.
    await page.getByTestId('nav-timesheets').click();
    const row = page.locator(`[data-testid="week-row"][data-week="${week}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-state'), 'closed');
    assert.equal(await row.getAttribute('data-cosigned'), 'true');
    assert.match(await row.getByTestId('week-detail').textContent(), /Closed at log size \d+, cosigned by both parties/);
    assert.match(await row.getByTestId('week-dispute').textContent(), /10 min disputed: Not this project/);
    await page.screenshot({ path: join(out, 'closedweek-timesheets.png'), fullPage: true });

    // The diary of W's Monday reads closed: nothing to approve or edit.
    await page.getByTestId('nav-diary').click();
    await page.getByTestId('diary-date-input').fill(monday.toISOString().slice(0, 10));
    await page.getByTestId('diary-date-input').dispatchEvent('change');
    const note = page.getByTestId('diary-closed');
    await note.waitFor();
    assert.match(await note.textContent(), new RegExp(`Week ${week} is closed: both parties signed its close`));
    assert.equal(await page.getByTestId('diary-approve-day').count(), 0);
    assert.equal(await page.getByTestId('diary-add-manual').count(), 0);
    await page.locator('[data-testid="segment-disputed"]').first().waitFor();
    await page.screenshot({ path: join(out, 'closedweek-diary.png'), fullPage: true });

    // The app's today (Tuesday of the next week): manual time that corrects W.
    await page.getByTestId('diary-date-input').fill(later.toISOString().slice(0, 10));
    await page.getByTestId('diary-date-input').dispatchEvent('change');
    await page.getByTestId('diary-add-manual').click();
    const dialog = page.getByTestId('manual-dialog');
    await dialog.getByTestId('manual-from').selectOption('10:00');
    await dialog.getByTestId('manual-to').selectOption('10:20');
    await dialog.getByTestId('manual-memo').fill('Release notes left over');
    await dialog.getByTestId('manual-corrects').selectOption(week);
    await page.screenshot({ path: join(out, 'closedweek-correction.png'), fullPage: true });
    await dialog.getByTestId('manual-save').click();
    await page.getByTestId('manual-dialog').waitFor({ state: 'detached' });
    const tag = page.locator('[data-testid="segment-corrects"]').first();
    await tag.waitFor();
    assert.equal((await tag.textContent()).trim(), `Corrects ${week}`);
    await page.screenshot({ path: join(out, 'closedweek-corrected.png'), fullPage: true });
    cli(contractor, 'approve', '--contract', id, '--all');
    await sync(contractor, id);

    // The employer holds the correction, naming W.
    const held = JSON.parse(cli(employer, 'diary', '--contract', id, '--from', at(8 * DAY), '--to', at(9 * DAY), '--json'));
    assert.deepEqual(held.map((s) => s.corrects), [week, week], `the employer's copy: ${JSON.stringify(held.map((s) => [s.start, s.corrects]))}`);

    // Both timesheets from the app: the next week's with the correction, W's with the dispute.
    await page.getByTestId('nav-timesheets').click();
    const exportWeek = async (w) => {
      const sheet = page.getByTestId('timesheet-row').first();
      await sheet.getByTestId('timesheet-week').selectOption(w);
      await sheet.getByTestId('timesheet-export').click();
      await waitOrExplain(page, page.locator('[data-testid="timesheet-result"], [data-testid="error"]').first(), dev,
        { timeout: 60_000, name: `closedweek-export-${w}` });
      if (await page.getByTestId('error').count()) assert.fail(`export of ${w}: ${await page.getByTestId('error').first().textContent()}`);
      const path = (await sheet.getByTestId('timesheet-file-csv').textContent()).trim();
      if (w === next) {
        assert.match(await sheet.getByTestId('timesheet-facts-corrections').textContent(), new RegExp(`0:20 h corrects ${week}`));
      } else {
        assert.match(await sheet.getByTestId('timesheet-facts-disputed').textContent(), /0:10 h disputed by the employer, not billed/);
      }
      await sheet.getByTestId('timesheet-result-close').click();
      return path;
    };
    csvNext = await exportWeek(next);
    csvWeek = await exportWeek(week);
  } finally {
    await dev.stop();
    await stop(emp);
  }

  const fixes = readCSV(csvNext).filter((r) => r.corrects !== '');
  assert.deepEqual(fixes.map((r) => [r.kind, r.corrects, r.memo]), [['manual', week, 'Release notes left over'], ['manual', week, 'Release notes left over']]);
  const disputed = readCSV(csvWeek).filter((r) => r.disputed !== '');
  assert.deepEqual(disputed.map((r) => [r.disputed, r.billable, r.dispute, r.answer]), [['10', 'no', 'Not this project', '']]);
});
