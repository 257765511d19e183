// Settings → While the window is closed, in the real app: each switch is
// saved in the data folder's config.json, autostart writes and removes the
// login entry, and an entry that cannot be written is said next to the
// switch, which stays as it was.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, launchBrowser, startWailsDev, tempHome } from './lib/harness.mjs';

let dev, browser, home, xdg;
before(async () => {
  home = tempHome();
  xdg = tempHome('wd-e2e-xdg-');
  cli(home, 'init', '--name', 'Ada Lovelace');
  dev = await startWailsDev(home, { port: Number(process.env.WORKDIARY_E2E_PORT || 34177), env: { XDG_CONFIG_HOME: xdg } });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await dev?.stop();
  if (xdg) rmSync(xdg, { recursive: true, force: true });
});

const config = () => JSON.parse(readFileSync(join(home, 'config.json'), 'utf8'));
const entry = () => join(xdg, 'autostart', 'workdiary.desktop');

async function until(what, ok, ms = 10_000) {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    if (ok()) return;
  }
  assert.fail(`${what}: not within ${ms} ms`);
}

test('notifications and autostart are saved, and a failure is said next to the switch', async () => {
  const page = await browser.newPage();
  await page.goto(dev.url);
  await page.getByTestId('nav-settings').click();
  const section = page.getByTestId('settings-agent');
  await section.waitFor();

  const idle = page.getByTestId('notify-idle');
  assert.equal(await idle.isChecked(), true, 'every kind is on by default');
  await idle.uncheck();
  await until('idle notifications off in config.json', () => config().notifications?.idle === false);
  assert.equal(await page.getByTestId('notify-limit').isChecked(), true, 'the other kinds stay on');

  const autostart = page.getByTestId('autostart');
  assert.equal(await autostart.isChecked(), false, 'no contract accepted: autostart is off');
  await autostart.check();
  await until('the login entry written', () => existsSync(entry()));
  assert.match(readFileSync(entry(), 'utf8'), new RegExp(`--home ${home} agent`));
  assert.match(cli(home, 'autostart'), /is on\./, 'the command line reads the same setting');
  await autostart.uncheck();
  await until('the login entry removed', () => !existsSync(entry()));

  // A file where the autostart folder goes: the entry cannot be written.
  rmSync(join(xdg, 'autostart'), { recursive: true, force: true });
  writeFileSync(join(xdg, 'autostart'), 'not a folder');
  await autostart.click();
  const error = section.getByRole('alert');
  await error.waitFor();
  assert.match(await error.textContent(), /autostart/);
  assert.equal(await autostart.isChecked(), false, 'the switch shows what is saved on disk');
  rmSync(join(xdg, 'autostart'));
  mkdirSync(join(xdg, 'autostart'));
});
