// Settings and the webcam switch in the real app: a browser against `wails
// dev` with the real Go backend, every field saved with good and bad
// values, and the CLI reading what was saved through the app's control
// socket. No camera exists here, so the webcam switch takes the "no
// camera" path.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, cli, launchBrowser, root, startWailsDev, tempHome, waitOrExplain } from './lib/harness.mjs';

const relay = '/ip4/203.0.113.7/tcp/4001/p2p/12D3KooWGzxzKZYveHXtpG6AsrUJBcWxHBFS2HsEoGTxrMLvKXtf';
let dev, browser, home, employer, page, xdg, away;

before(async () => {
  home = tempHome();
  employer = tempHome();
  // The login entry and the moved folder's location are written under
  // XDG_CONFIG_HOME: the test's own, not the user's.
  xdg = tempHome();
  away = tempHome();
  cli(employer, 'init', '--name', 'Erin');
  cli(home, 'init', '--name', 'Ada');
  const offer = JSON.parse(cli(employer, 'contract', 'offer', '--title', 'With photos', '--rate', '30.00',
    '--screenshots', '1', '--webcam', '--json'));
  cli(home, 'contract', 'accept', '--offline', offer.invite);
  dev = await startWailsDev(home, { env: { XDG_CONFIG_HOME: xdg } });
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.goto(dev.url);
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-recording').waitFor();
});
after(async () => {
  await browser?.close();
  await dev?.stop();
});

const get = (key) => cli(home, 'config', 'get', key).trim();

/** Types value into a text setting and leaves it with Enter; returns what the field says. */
async function enter(testid, value) {
  const field = page.getByTestId(testid);
  await field.fill(value);
  await field.press('Enter');
  const note = page.getByTestId(`${testid}-note`);
  await note.waitFor();
  return (await note.textContent()).trim();
}

test('numbers: a bad value is refused by its field, a good one saved and live', async () => {
  assert.equal(await enter('setting-idle-minutes', '0'), 'Must be from 1 to 120 minutes');
  assert.equal(await page.getByTestId('setting-idle-minutes').getAttribute('aria-invalid'), 'true');
  assert.equal(get('idle_minutes'), '10', 'the refused value was not saved');
  assert.equal(await enter('setting-idle-minutes', 'ten'), '"ten" is not a whole number');
  assert.equal(await enter('setting-idle-minutes', '15'), 'Saved.');
  assert.equal(get('idle_minutes'), '15');

  assert.equal(await enter('setting-auto-approve-hours', '-1'), 'Must be from 0 to 720 hours');
  assert.equal(await enter('setting-auto-approve-hours', '24'), 'Saved.');
  assert.equal(get('auto_approve_hours'), '24');

  assert.equal(await enter('setting-listen-port', '80'), 'Must be from 1024 to 65535');
  assert.match(await enter('setting-listen-port', '40123'), /Saved\. Applies when Workdiary next starts/);
  assert.equal(get('listen_port'), '40123');
});

test('excluded apps: typed, picked from the open apps, removed', async () => {
  await page.getByTestId('excluded-app-name').fill('/usr/bin/keepassxc');
  await page.getByTestId('excluded-add').click();
  assert.match(await page.getByTestId('setting-excluded-apps-note').textContent(), /is a path: give the app's name only/);
  await page.getByTestId('excluded-app-name').fill('keepassxc');
  await page.getByTestId('excluded-add').click();
  await page.getByTestId('excluded-remove-keepassxc').waitFor();
  assert.equal(get('excluded_apps'), 'keepassxc');

  // The apps with a window on this display (the app's own window at least,
  // unless the display has none): pick the first.
  await page.getByTestId('excluded-pick').click();
  const list = page.getByTestId('running-apps');
  const none = page.getByTestId('excluded-apps-empty');
  await list.or(none).waitFor();
  if (await list.isVisible()) {
    const first = list.locator('button').first();
    const name = (await first.getAttribute('data-testid')).replace('running-app-', '');
    await first.click();
    await page.getByTestId(`excluded-remove-${name}`).waitFor();
    assert.deepEqual(get('excluded_apps').split('\n'), ['keepassxc', name]);
    await page.getByTestId(`excluded-remove-${name}`).click();
    await page.getByTestId(`excluded-remove-${name}`).waitFor({ state: 'detached' });
  }
  await page.getByTestId('excluded-remove-keepassxc').click();
  await page.getByTestId('excluded-none').waitFor();
  assert.equal(get('excluded_apps'), '');
});

test('network: switches and peer lists apply at the next start, bad addresses refused', async () => {
  await page.getByTestId('setting-lan-discovery').uncheck();
  assert.match(await page.getByTestId('setting-lan-discovery-note').textContent(), /next starts/);
  assert.equal(get('lan_discovery'), 'false');
  await page.getByTestId('setting-port-mapping').uncheck();
  await page.getByTestId('setting-port-mapping-note').waitFor();
  assert.equal(get('port_mapping'), 'false');

  for (const key of ['relays', 'bootstrap']) {
    const id = `setting-${key}`;
    const field = page.getByTestId(id);
    await field.fill('relay.example.org');
    await field.blur();
    await page.getByTestId(`${id}-note`).waitFor();
    assert.match(await page.getByTestId(`${id}-note`).textContent(), /is not a multiaddr/);
    await field.fill('/ip4/203.0.113.7/tcp/4001');
    await field.blur();
    await page.getByText('does not end in /p2p/PEER-ID').waitFor();
    await field.fill(relay);
    await field.blur();
    await page.getByTestId(`${id}-note`).getByText('Saved').waitFor();
    assert.equal(get(key), relay);
  }
});

test('time zone: a bad name refused, a good one used for every time on screen', async () => {
  assert.match(await enter('setting-display-zone', 'Mars/Olympus'), /is not a time zone name/);
  assert.equal(await enter('setting-display-zone', 'Asia/Tokyo'), 'Saved.');
  assert.match(await page.getByTestId('settings-zone-now').textContent(), /Asia\/Tokyo \(UTC\+09:00\)/);
  assert.equal(get('display_zone'), 'Asia/Tokyo');
  await enter('setting-display-zone', '');
  assert.match(await page.getByTestId('settings-zone-now').textContent(), /this computer's zone/);
});

test('a change made on the command line shows in the open window', async () => {
  cli(home, 'config', 'set', 'idle_minutes', '42');
  await page.waitForFunction(() => document.querySelector('[data-testid="setting-idle-minutes"]')?.value === '42');
});

test('data folder: where it is and what it takes', async () => {
  assert.equal((await page.getByTestId('settings-data-location').textContent()).trim(), home);
  const out = join(root, 'build', 'e2e-out');
  mkdirSync(out, { recursive: true });
  await page.screenshot({ path: join(out, 'settings.png'), fullPage: true });
  assert.match(await page.getByTestId('settings-disk-use').textContent(), /\d+(\.\d)? [kMG]?B, .* free on its disk/);
});

test('webcam switch on the Tracker screen: no camera here, so it says so and stays off', async () => {
  await page.getByTestId('nav-tracker').click();
  await page.getByTestId('tracker-webcam').waitFor();
  const box = page.getByTestId('webcam-switch');
  assert.equal(await box.isChecked(), false);
  await box.click();
  const problem = page.getByTestId('webcam-problem');
  await problem.waitFor();
  assert.match(await problem.textContent(), /No camera found/);
  assert.equal(await box.isChecked(), false);
  const saved = JSON.parse(readFileSync(join(home, 'config.json'), 'utf8'));
  assert.equal(saved.webcam_contracts, undefined, 'no opt-in was saved');
});

test('data folder: a refused place changes nothing; a move carries on in the new place', async () => {
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-move-open').click();
  const to = page.getByTestId('settings-move-to');
  const error = page.getByTestId('settings-move-error');

  await to.fill(join(home, 'inside'));
  await page.getByTestId('settings-move-submit').click();
  await error.waitFor();
  assert.match(await error.textContent(), /the new place is inside the data folder/);
  writeFileSync(join(away, 'notes.txt'), 'mine');
  await to.fill(away);
  await page.getByTestId('settings-move-submit').click();
  await page.getByText(/the new place is not an empty folder/).waitFor();
  assert.equal(await to.getAttribute('aria-invalid'), 'true');
  assert.equal((await page.getByTestId('settings-data-location').textContent()).trim(), home);
  assert.ok(existsSync(join(home, 'identity.key')), 'a refused move left the folder in place');
  assert.equal(readFileSync(join(away, 'notes.txt'), 'utf8'), 'mine');

  const moved = join(away, 'moved', 'workdiary');
  await to.fill(moved);
  await page.getByTestId('settings-move-submit').click();
  const note = page.getByTestId('settings-move-note');
  await waitOrExplain(page, note, dev, { timeout: 60_000, name: 'settings-move' });
  assert.match(await note.textContent(), new RegExp(`Moved to ${moved}`));
  // This window was started with WORKDIARY_HOME naming the old place: it says to change it.
  assert.match(await note.textContent(), /WORKDIARY_HOME still names the old place/);
  assert.equal((await page.getByTestId('settings-data-location').textContent()).trim(), moved);
  assert.ok(!existsSync(home), 'the old folder is gone');
  const old = home;
  home = moved;

  // The window carries on in the new place: it answers there, and a setting
  // saved in it lands in the moved config.json.
  const status = JSON.parse(cli(moved, 'serve', 'status', '--json'));
  assert.ok(status.running && /desktop app/.test(status.owner) && status.data_folder === moved, JSON.stringify(status));
  const field = page.getByTestId('setting-idle-minutes');
  await field.fill('25');
  await field.press('Enter');
  await page.getByTestId('setting-idle-minutes-note').getByText('Saved').waitFor();
  assert.equal(JSON.parse(readFileSync(join(moved, 'config.json'), 'utf8')).idle_minutes, 25);

  // The command line without --home or WORKDIARY_HOME finds it there.
  const env = { ...process.env, WORKDIARY_LOCAL_ONLY: '1', XDG_CONFIG_HOME: xdg };
  delete env.WORKDIARY_HOME;
  const settings = JSON.parse(execFileSync(join(bin, 'workdiary'), ['config', 'get', '--json'], { encoding: 'utf8', env }));
  assert.equal(settings.data_folder, moved);
  assert.equal(readFileSync(join(xdg, 'workdiary', 'location'), 'utf8').trim(), moved);
  const entry = join(xdg, 'autostart', 'workdiary.desktop');
  if (existsSync(entry)) {
    const text = readFileSync(entry, 'utf8');
    assert.ok(text.includes(`--home ${moved} agent`) && !text.includes(old), `the login entry follows the folder:\n${text}`);
  }
});
