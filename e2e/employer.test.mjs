// The employer's side in the UI: after a real sync over loopback the Team
// screen shows the contractor's hours, opens their diary read-only, and the
// Timesheets screen exports a signed bundle that `workdiary verify` and
// OpenSSH accept.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bin, cli, launchBrowser, root, startWailsDev, tempHome, waitOrExplain } from './lib/harness.mjs';

const out = join(root, 'build', 'e2e-out');
mkdirSync(out, { recursive: true });
const env = { ...process.env, WORKDIARY_LOCAL_ONLY: '1' };
const procs = [];
let browser;
after(async () => {
  await browser?.close();
  for (const p of procs) p.kill();
});

function waitForLine(proc, text, ms) {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`no "${text}" within ${ms} ms: ${buf}`)), ms);
    proc.stdout.on('data', (d) => {
      buf += d;
      if (buf.includes(text)) { clearTimeout(timer); resolve(buf); }
    });
  });
}

test('team hours after a sync, the read-only diary, a verified timesheet', { timeout: 15 * 60_000 }, async () => {
  const employer = tempHome('wd-e2e-emp-');
  const contractor = tempHome('wd-e2e-con-');
  cli(employer, 'init', '--name', 'Erin Employer');
  cli(contractor, 'init', '--name', 'Ada Contractor');

  const serve = spawn(join(bin, 'workdiary'), ['--home', employer, 'serve', '--listen', '/ip4/127.0.0.1/tcp/0'], { env });
  procs.push(serve);
  await waitForLine(serve, 'Serving', 30_000);
  const code = cli(employer, 'contract', 'offer', '--title', 'Team test', '--rate', '30', '--currency', 'USD',
    '--weekly-limit', '40', '--screenshots', '1').trim();
  cli(contractor, 'contract', 'accept', code);
  const id = JSON.parse(cli(contractor, 'contract', 'list', '--json'))[0].id;

  const term = spawn('xterm', ['-T', 'wd-e2e-team', '-e', 'sh', '-c', 'while :; do date +%s%N; sleep 0.3; done']);
  procs.push(term);
  const track = spawn(join(bin, 'workdiary'), ['--home', contractor, 'track', '--contract', id, '--memo', 'team test',
    '--for', '30m', '--clock-speed', '60'], { env, stdio: 'ignore' });
  const exited = new Promise((resolve) => track.on('exit', resolve));
  for (let i = 0; i < 15; i++) {
    execFileSync('xdotool', ['key', 'shift']);
    await new Promise((r) => setTimeout(r, 1000));
  }
  assert.equal(await exited, 0);
  cli(contractor, 'approve', '--contract', id, '--all');
  cli(contractor, 'sync', '--contract', id);
  serve.kill('SIGTERM');
  await new Promise((r) => serve.on('exit', r));
  const held = JSON.parse(cli(employer, 'log', '--contract', id, '--json'));
  assert.ok(held.seq >= 2, `the employer holds ${held.seq} entries`);

  browser = await launchBrowser();
  const dev = await startWailsDev(employer);
  let zip;
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(dev.url);
    await page.getByTestId('nav-team').click();
    const row = page.locator(`[data-testid="team-row"][data-contract-id="${id}"]`);
    await row.waitFor();
    const week = (await row.getByTestId('team-week').textContent()).trim();
    assert.ok(/^\d+:\d\d h/.test(week) && !week.startsWith('0:00'), `week hours shown: ${week}`);
    await page.screenshot({ path: join(out, 'employer-team.png'), fullPage: true });
    await row.getByTestId('team-open').click();
    await page.getByTestId('team-diary').waitFor();
    await page.getByTestId('team-diary-date').waitFor();
    await page.locator('[data-testid="segment-cell"]').first().waitFor();
    await page.screenshot({ path: join(out, 'employer-diary.png'), fullPage: true });
    await page.getByTestId('team-back').click();

    await page.getByTestId('nav-timesheets').click();
    await page.getByTestId('timesheet-export').first().click();
    await waitOrExplain(page, page.locator('[data-testid="timesheet-result"], [data-testid="error"]').first(), dev,
      { timeout: 60_000, name: 'employer-export' });
    if (await page.getByTestId('error').count()) {
      await page.screenshot({ path: join(out, 'employer-timesheet-error.png'), fullPage: true });
      assert.fail(`export failed: ${await page.getByTestId('error').first().textContent()}`);
    }
    const files = await page.getByTestId('timesheet-files').textContent();
    zip = files.match(/\S+\.zip(?!\.sig)/)[0];
    await page.screenshot({ path: join(out, 'employer-timesheet.png'), fullPage: true });
  } finally {
    await dev.stop();
  }
  const verified = execFileSync(join(bin, 'workdiary'), ['verify', zip], { encoding: 'utf8' });
  assert.match(verified, /^valid: "Team test"/);
  const signers = readFileSync(join(dirname(zip), 'allowed_signers'), 'utf8').trim().split('\n')[0];
  const principal = signers.split(' ')[0];
  const ok = execFileSync('ssh-keygen', ['-Y', 'verify', '-f', join(dirname(zip), 'allowed_signers'), '-I', principal,
    '-n', 'workdiary-timesheet', '-s', `${zip}.sig`], { input: readFileSync(zip), encoding: 'utf8' });
  assert.match(ok, /Good "workdiary-timesheet" signature/);
});
