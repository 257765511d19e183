// The contractor's diary in the UI: time recorded at a fast clock with real
// input shows in the grid; one segment is deleted (its screenshots leave the
// disk); the rest of the day is approved and the badges change.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { bin, cli, launchBrowser, root, startWailsDev, tempHome } from './lib/harness.mjs';

const out = join(root, 'build', 'e2e-out');
mkdirSync(out, { recursive: true });
let browser;
after(async () => { await browser?.close(); });

function blobPath(home, hash) {
  return join(home, 'blobs', hash.slice(0, 2), hash);
}

// localDay is the calendar day of an instant in this machine's zone, the
// one the app shows its diary in (YYYY-MM-DD).
function localDay(iso) {
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

test('record, see the grid, delete one segment, approve the rest', { timeout: 15 * 60_000 }, async () => {
  const employer = tempHome('wd-e2e-emp-');
  const contractor = tempHome('wd-e2e-con-');
  cli(employer, 'init', '--name', 'Erin Employer');
  cli(contractor, 'init', '--name', 'Ada Contractor');
  const code = cli(employer, 'contract', 'offer', '--title', 'Diary test', '--rate', '20', '--currency', 'EUR',
    '--screenshots', '2').trim();
  cli(contractor, 'contract', 'accept', code, '--offline');
  const id = JSON.parse(cli(contractor, 'contract', 'list', '--json'))[0].id;

  // A terminal whose text changes every second, so screenshots differ.
  const term = spawn('xterm', ['-T', 'wd-e2e-diary', '-e', 'sh', '-c', 'while :; do date +%s%N; sleep 0.3; done'], { stdio: 'ignore' });
  after(() => term.kill());
  // 30 minutes at 60x: three segments with screenshots, real key presses.
  const track = spawn(join(bin, 'workdiary'), ['--home', contractor, 'track', '--contract', id, '--memo', 'grid test',
    '--for', '30m', '--clock-speed', '60'], { env: { ...process.env, WORKDIARY_LOCAL_ONLY: '1' }, stdio: 'ignore' });
  const exited = new Promise((resolve) => track.on('exit', resolve));
  for (let i = 0; i < 20; i++) {
    execFileSync('xdotool', ['key', 'shift']);
    await new Promise((r) => setTimeout(r, 1000));
  }
  assert.equal(await exited, 0, 'track exits cleanly');
  const before = JSON.parse(cli(contractor, 'diary', '--json'));
  assert.ok(before.length >= 3, `segments recorded: ${before.length}`);
  // The run ends now, so within half an hour after midnight its time
  // spans two days: the grid shows the day holding most of it, where one
  // segment is deleted and the rest approved.
  const perDay = new Map();
  for (const s of before) perDay.set(localDay(s.start), (perDay.get(localDay(s.start)) ?? 0) + 1);
  const [day, sameDay] = [...perDay].sort((a, b) => b[1] - a[1])[0];
  assert.ok(sameDay >= 2, `segments on ${day}: ${sameDay}`);
  const victim = before.find((s) => localDay(s.start) === day && s.screenshots.length > 0);
  assert.ok(victim, 'a segment with screenshots');
  const shots = victim.screenshots.map((s) => blobPath(contractor, s.hash));
  assert.ok(shots.every(existsSync), 'its screenshots are on disk');

  browser = await launchBrowser();
  const dev = await startWailsDev(contractor);
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(dev.url);
    await page.getByTestId('nav-diary').click();
    await page.getByTestId('diary-date-input').fill(day);
    await page.getByTestId('diary-date-input').dispatchEvent('change');
    const cell = page.locator(`[data-testid="segment-cell"][data-segment-id="${victim.id}"]`);
    await cell.waitFor();
    assert.equal(await page.getByTestId('segment-cell').count() >= sameDay, true);
    await page.locator('[data-testid="segment-thumb"]').first().waitFor();
    await page.screenshot({ path: join(out, 'diary-recorded.png'), fullPage: true });

    await cell.click();
    await page.getByTestId('diary-delete').click();
    await page.getByTestId('diary-delete-confirm').click();
    await cell.waitFor({ state: 'detached' });
    // Content addressing shares identical images between segments: every
    // screenshot of the deleted segment that no other segment uses is gone.
    const left = JSON.parse(cli(contractor, 'diary', '--json'));
    const used = new Set(left.flatMap((s) => s.screenshots.map((x) => x.hash)));
    const own = victim.screenshots.filter((s) => !used.has(s.hash)).map((s) => blobPath(contractor, s.hash));
    assert.ok(own.length > 0, 'the deleted segment had screenshots of its own');
    assert.ok(own.every((p) => !existsSync(p)), 'the deleted segment\'s screenshots are gone from disk');

    await page.getByTestId('diary-approve-day').click();
    // Approval waits out its undo window unless told to sign now.
    await page.getByTestId('diary-approve-now').click();
    await page.locator('[data-testid="segment-badge"][data-state="approved"]').first().waitFor();
    await page.screenshot({ path: join(out, 'diary-approved.png'), fullPage: true });
  } finally {
    await dev.stop();
  }
  const final = JSON.parse(cli(contractor, 'diary', '--json'));
  assert.equal(final.find((s) => s.id === victim.id), undefined, 'the deleted segment is gone');
  const approved = final.filter((s) => s.state === 'approved');
  assert.ok(approved.length >= 1, `approved: ${approved.length}`);
  const log = JSON.parse(cli(contractor, 'log', '--contract', id, '--json'));
  assert.equal(log.seq, approved.length, 'one signed entry per approved segment');
});
