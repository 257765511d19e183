// Onboarding in the real app: a browser against `wails dev`, the real Go
// backend behind it, and the CLI reading the same data folder through the
// running app's control socket.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cli, launchBrowser, root, startWailsDev, tempHome } from './lib/harness.mjs';

let dev, browser, home;
before(async () => {
  home = tempHome();
  dev = await startWailsDev(home);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await dev?.stop();
});

test('onboarding creates the identity that `workdiary id` reports', async () => {
  const page = await browser.newPage();
  await page.goto(dev.url);

  await page.getByTestId('onboarding-create').click();
  await page.getByTestId('onboarding-name-error').waitFor();

  // Both roles, so every screen is there.
  await page.getByTestId('onboarding-both').check();
  await page.getByTestId('onboarding-name').fill('Ada Lovelace');
  await page.getByTestId('onboarding-create').click();
  await page.getByTestId('nav-settings').click();
  const peerId = (await page.getByTestId('settings-peer-id').textContent()).trim();
  const sshKey = (await page.getByTestId('settings-ssh-key').textContent()).trim();
  const folder = (await page.getByTestId('settings-data-folder').textContent()).trim();

  const id = JSON.parse(cli(home, 'id', '--json'));
  assert.match(id.peer_id, /^12D3KooW/);
  assert.equal(peerId, id.peer_id, 'Settings shows the peer ID the CLI reports');
  assert.equal(sshKey, id.ssh_public_key);
  assert.equal(folder, home);

  const out = join(root, 'build', 'e2e-out');
  mkdirSync(out, { recursive: true });
  await page.screenshot({ path: join(out, 'settings-identity.png'), fullPage: true });

  // Every screen is reachable and says what it is for.
  for (const view of ['tracker', 'diary', 'contracts', 'team', 'timesheets']) {
    await page.getByTestId(`nav-${view}`).click();
    await page.getByTestId(`view-${view}`).waitFor();
  }
});

test('a second owner is refused while the app owns the folder', () => {
  assert.throws(() => cli(home, 'init', '--name', 'Eve'), (err) => {
    assert.match(String(err.stderr), /identity already exists/);
    return true;
  });
  const again = JSON.parse(cli(home, 'id', '--json'));
  assert.equal(again.name, 'Ada Lovelace', 'the key is unchanged');
});
