// One journey per role in the real app (a browser against `wails dev`, the
// real Go backend): a contractor who later hires too, in Tokyo, and an
// employer only, in New York, so both sides of UTC. Each is driven by the
// keyboard alone where a person would type or move, and each screen is
// compared at 1200×775 and 900×600 with its reviewed baseline
// (e2e/lib/screens.mjs says how to update them).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cli, launchBrowser, startWailsDev, tempHome, waitOrExplain } from './lib/harness.mjs';
import { checkScreens, scrollsSideways, tabTo } from './lib/screens.mjs';

const port = Number(process.env.WORKDIARY_E2E_PORT || 34160);
let browser;
after(async () => {
  await browser?.close();
});

async function navItems(page) {
  return page.locator('nav[aria-label="Main"] [data-testid^="nav-"]').evaluateAll((els) =>
    els.map((e) => e.getAttribute('data-testid').slice(4)));
}

/** Onboarding by keyboard: the role by arrow keys, the name, Enter. */
async function onboard(page, role, name) {
  await page.getByTestId('onboarding-name').waitFor();
  await tabTo(page, 'onboarding-contractor');
  const steps = { contractor: 0, employer: 1, both: 2 }[role];
  for (let i = 0; i < steps; i++) await page.keyboard.press('ArrowDown');
  assert.equal(await page.getByTestId(`onboarding-${role}`).isChecked(), true);
  await tabTo(page, 'onboarding-name');
  await page.keyboard.type(name);
  await page.keyboard.press('Enter');
  await page.getByTestId('view-contracts').waitFor();
}

/** The offer form's terms by keyboard, then Enter on Create. */
async function typeOffer(page, title, rate, currency) {
  for (const [id, text] of [['offer-title', title], ['offer-rate', rate], ['offer-currency', currency]]) {
    await tabTo(page, id);
    await page.keyboard.type(text);
  }
  await tabTo(page, 'offer-submit');
  await page.keyboard.press('Enter');
}

async function goTo(page, view) {
  await page.locator('body').focus();
  await tabTo(page, `nav-${view}`);
  await page.keyboard.press('Enter');
  await page.getByTestId(`view-${view}`).waitFor();
}

test('a contractor in Tokyo: first steps, a contract, then hiring too', { timeout: 15 * 60_000 }, async () => {
  browser ??= await launchBrowser();
  const mine = tempHome('wd-e2e-journey-con-');
  const boss = tempHome('wd-e2e-journey-boss-');
  const dev = await startWailsDev(mine, { port, env: { TZ: 'Asia/Tokyo', VITE_PORT: String(port + 100) } });
  const problems = [];
  try {
    const context = await browser.newContext({ timezoneId: 'Asia/Tokyo', viewport: { width: 1200, height: 775 } });
    const page = await context.newPage();
    await page.goto(dev.url);
    problems.push(...await checkScreens(page, 'onboarding'));
    await onboard(page, 'contractor', 'Ada Contractor');

    // Only a contractor's screens, and their first step.
    assert.deepEqual(await navItems(page), ['tracker', 'diary', 'contracts', 'timesheets', 'settings']);
    assert.match(await page.getByTestId('view-contracts').textContent(), /paste the invite code your employer sent you/);
    assert.equal(await page.getByTestId('offer-new').count(), 0, 'no "New offer" for a contractor');
    problems.push(...await checkScreens(page, 'contractor-start'));

    // An employer elsewhere offers; the invite is pasted and accepted by keyboard.
    cli(boss, 'init', '--name', 'Erin Employer');
    const code = cli(boss, 'contract', 'offer', '--title', 'Invoice parser', '--rate', '35.00', '--currency', 'USD',
      '--weekly-limit', '40', '--screenshots', '1').trim();
    await tabTo(page, 'invite-open');
    await page.keyboard.press('Enter');
    await tabTo(page, 'invite-code');
    await page.keyboard.insertText(code);
    await tabTo(page, 'invite-review');
    await page.keyboard.press('Enter');
    await page.getByTestId('consent').waitFor();
    await tabTo(page, 'invite-accept');
    await page.keyboard.press('Enter');
    await waitOrExplain(page, page.getByTestId('view-tracker'), dev, { timeout: 60_000, name: 'journey-accepted' });

    // Reopened, the app starts where the work is.
    await page.reload();
    await page.getByTestId('view-tracker').waitFor();
    problems.push(...await checkScreens(page, 'contractor-tracker'));
    await goTo(page, 'contracts');
    assert.equal(await scrollsSideways(page, '[data-testid="view-contracts"] table'), false, 'the contracts table fits 1200 px');
    problems.push(...await checkScreens(page, 'contractor-contracts'));
    await goTo(page, 'timesheets');
    const row = page.getByTestId('timesheet-row');
    assert.equal(await row.getAttribute('data-role'), 'contractor');
    assert.doesNotMatch(await page.getByTestId('view-timesheets').textContent(), /workdiary timesheet|--out|ssh-keygen/);
    problems.push(...await checkScreens(page, 'contractor-timesheets'));
    // Last week, by keyboard; without a receipt yet the reason reads as a sentence.
    await tabTo(page, 'timesheet-week');
    await page.keyboard.press('ArrowDown');
    await tabTo(page, 'timesheet-export');
    await page.keyboard.press('Enter');
    const why = (await page.getByTestId('error').textContent({ timeout: 60_000 })).trim();
    assert.match(why, /^No cosigned checkpoint yet: sync with the other party first\.$/);

    // Hiring too: the other role's first step is one quiet click away.
    await goTo(page, 'contracts');
    assert.equal(await page.getByTestId('offer-new').count(), 0);
    await tabTo(page, 'offer-hire');
    await page.keyboard.press('Enter');
    await typeOffer(page, 'Logo', '20', 'EUR');
    await page.getByTestId('offer-invite').waitFor();
    assert.deepEqual(await navItems(page), ['tracker', 'diary', 'contracts', 'team', 'timesheets', 'settings']);
    await page.reload();
    await page.getByTestId('view-tracker').waitFor();
    await goTo(page, 'contracts');
    assert.equal(await scrollsSideways(page, '[data-testid="view-contracts"] table'), false);
    problems.push(...await checkScreens(page, 'both-contracts'));
    await context.close();
  } finally {
    await dev.stop();
  }
  assert.deepEqual(problems, []);
});

test('an employer in New York: first offer, the acceptance noticed, the team', { timeout: 15 * 60_000 }, async () => {
  browser ??= await launchBrowser();
  const mine = tempHome('wd-e2e-journey-emp-');
  const worker = tempHome('wd-e2e-journey-worker-');
  const dev = await startWailsDev(mine, { port: port + 1, env: { TZ: 'America/New_York', VITE_PORT: String(port + 101) } });
  const problems = [];
  try {
    const context = await browser.newContext({ timezoneId: 'America/New_York', viewport: { width: 1200, height: 775 } });
    const page = await context.newPage();
    await page.goto(dev.url);
    await onboard(page, 'employer', 'Erin Employer');

    assert.deepEqual(await navItems(page), ['contracts', 'team', 'timesheets', 'settings']);
    assert.match(await page.getByTestId('view-contracts').textContent(), /Hire your first contractor/);
    assert.equal(await page.getByTestId('invite-open').count(), 0, 'no invite form for an employer');
    problems.push(...await checkScreens(page, 'employer-start'));

    await tabTo(page, 'offer-new');
    await page.keyboard.press('Enter');
    await typeOffer(page, 'Website redesign', '35.00', 'USD');
    const invite = (await page.getByTestId('offer-invite').textContent()).trim();

    // The contractor accepts on their own computer; the app says so wherever it is.
    cli(worker, 'init', '--name', 'Ada Contractor');
    await goTo(page, 'timesheets');
    cli(worker, 'contract', 'accept', invite);
    await waitOrExplain(page, page.getByTestId('accepted-notice'), dev, { timeout: 60_000, name: 'journey-accepted-notice' });
    assert.match(await page.getByTestId('accepted-notice').textContent(), /Ada Contractor accepted “Website redesign”/);
    // The screen under the notice follows within its reload interval.
    await waitOrExplain(page, page.getByTestId('timesheet-export'), dev, { timeout: 30_000, name: 'journey-team-reloaded' });
    problems.push(...await checkScreens(page, 'employer-accepted'));
    await tabTo(page, 'accepted-open');
    await page.keyboard.press('Enter');
    await page.getByTestId('view-team').waitFor();

    // Reopened with a running contract, the employer lands on the Team.
    await page.reload();
    await page.getByTestId('view-team').waitFor();
    await page.getByTestId('team-row').waitFor();
    assert.equal(await page.getByTestId('nav-tracker').count(), 0);
    problems.push(...await checkScreens(page, 'employer-team'));
    await goTo(page, 'contracts');
    assert.equal(await scrollsSideways(page, '[data-testid="view-contracts"] table'), false, 'the contracts table fits 1200 px');
    problems.push(...await checkScreens(page, 'employer-contracts'));
    await context.close();
  } finally {
    await dev.stop();
  }
  assert.deepEqual(problems, []);
});
