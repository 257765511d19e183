// Contracts and tracking through the UI, each side in its own data folder:
// the employer creates an offer in the app; the contractor pastes the
// invite, reads the consent screen, accepts, and tracks with a fast clock
// while real input is driven into the display; a screenshot's thumbnail
// appears and the diary (read by the CLI through the running app) holds it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cli, launchBrowser, root, startWailsDev, tempHome, waitOrExplain } from './lib/harness.mjs';

const out = join(root, 'build', 'e2e-out');
mkdirSync(out, { recursive: true });
let browser;
after(async () => { await browser?.close(); });

test('offer in one folder, accept and track in another', { timeout: 15 * 60_000 }, async () => {
  browser = await launchBrowser();
  const employer = tempHome('wd-e2e-emp-');
  const contractor = tempHome('wd-e2e-con-');
  cli(employer, 'init', '--name', 'Erin Employer');
  cli(contractor, 'init', '--name', 'Ada Contractor');

  // Employer: an offer with every term through the form.
  let dev = await startWailsDev(employer);
  let invite;
  try {
    const page = await browser.newPage();
    await page.goto(dev.url);
    await page.getByTestId('nav-contracts').click();
    await page.getByTestId('offer-new').first().click();
    await page.getByTestId('offer-title').fill('Invoice parser');
    await page.getByTestId('offer-rate').fill('35.00');
    await page.getByTestId('offer-currency').fill('USD');
    await page.getByTestId('offer-weekly-limit').fill('40');
    await page.getByTestId('offer-screenshots').fill('3');
    await page.getByTestId('offer-submit').click();
    invite = (await page.getByTestId('offer-invite').textContent()).trim();
    assert.match(invite, /^wdinv2-/);
    await page.getByTestId('offer-qr').waitFor();
    await page.screenshot({ path: join(out, 'employer-offer.png'), fullPage: true });
  } finally {
    await dev.stop();
  }
  const offered = JSON.parse(cli(employer, 'contract', 'list', '--json'));
  assert.equal(offered[0].state, 'offered');

  // Contractor: a clock 60x fast, starting 20 minutes ago.
  // Logged at debug, each screenshot and minute is in the log a timeout shows.
  dev = await startWailsDev(contractor, {
    env: { WORKDIARY_CLOCK_SPEED: '60', WORKDIARY_CLOCK_BACK: '20m', WORKDIARY_LOG_LEVEL: 'debug' },
  });
  try {
    const page = await browser.newPage();
    await page.goto(dev.url);
    await page.getByTestId('nav-contracts').click();
    await page.getByTestId('invite-open').first().click();
    await page.getByTestId('invite-code').fill('wdinv1-garbage');
    await page.getByTestId('invite-review').click();
    await page.getByTestId('error').waitFor();
    await page.getByTestId('invite-code').fill(invite);
    await page.getByTestId('invite-review').click();
    await page.getByTestId('consent').waitFor();
    const lines = await page.getByTestId('consent-line').allTextContents();
    assert.ok(lines.some((l) => /3 screenshots/i.test(l)), `consent lines: ${lines.join(' | ')}`);
    assert.ok(lines.some((l) => /never which keys/i.test(l)), `consent lines: ${lines.join(' | ')}`);
    await page.getByTestId('invite-accept').click();

    await page.getByTestId('view-tracker').waitFor();
    await page.getByTestId('tracker-start').click();
    await page.getByTestId('tracker-memo-error').waitFor();
    await page.getByTestId('tracker-memo').fill('Line items');
    await page.getByTestId('tracker-start').click();
    await page.getByTestId('tracker-stop').waitFor();
    for (let i = 0; i < 10; i++) {
      execFileSync('xdotool', ['key', 'shift']);
      execFileSync('xdotool', ['click', '1']);
      await page.waitForTimeout(300);
    }
    // Three screenshots per 10 minutes at 60x: one lands within seconds.
    await waitOrExplain(page, page.getByTestId('tracker-thumb'), dev, { timeout: 60_000, name: 'tracker-thumb' });
    await waitOrExplain(page, page.getByTestId('tracker-notice'), dev, { timeout: 60_000, name: 'tracker-notice' });
    await page.screenshot({ path: join(out, 'contractor-tracker.png'), fullPage: true });
    await page.getByTestId('tracker-stop').click();
    await page.getByTestId('tracker-start').waitFor();

    const segs = JSON.parse(cli(contractor, 'diary', '--json'));
    assert.ok(segs.length >= 1, 'the diary has segments');
    assert.ok(segs.some((s) => s.screenshots.length > 0), 'a screenshot was recorded');
    assert.ok(segs.every((s) => s.memo === 'Line items'));
    // Stopping drops the minute in progress (a second of wall time at 60x),
    // so the last clicks may be gone; most must be there.
    const clicks = segs.reduce((n, s) => n + s.clicks, 0);
    assert.ok(clicks >= 5 && clicks <= 10, `clicks recorded: ${clicks}, want 5..10 of the 10 driven`);

    // Pause and resume from the contract's details, each after its
    // confirmation: the contractor's own changes go into its log at once.
    await page.getByTestId('nav-contracts').click();
    await page.getByTestId('contract-open').first().click();
    await page.getByTestId('contract-pause').click();
    await page.getByTestId('change-reason').fill('Holiday');
    await page.getByTestId('contract-change-confirm').click();
    await page.getByTestId('contract-resume').waitFor();
    await page.screenshot({ path: join(out, 'contractor-contract-paused.png'), fullPage: true });
    await page.getByTestId('contract-resume').click();
    await page.getByTestId('contract-change-confirm').click();
    await page.getByTestId('contract-pause').waitFor();
    const shown = JSON.parse(cli(contractor, 'contract', 'show', segs[0].contract, '--json'));
    assert.deepEqual(
      shown.changes.map((c) => c.kind),
      ['pause', 'resume'],
    );
    assert.notEqual(shown.state, 'paused');
  } finally {
    await dev.stop();
  }
});
