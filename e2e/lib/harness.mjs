// Shared pieces of the end-to-end tests: the built CLI, `wails dev` serving
// the app to a browser while talking to the real Go backend, and the
// system Chromium driven by Playwright.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const bin = join(root, 'build', 'bin');

// Every data folder a flow makes goes when its test file's process ends,
// passed or failed: the failure's explanation is in its error (below).
const made = [];
process.on('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh data folder, removed when the test file ends. */
export function tempHome(prefix = 'wd-e2e-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Runs the built CLI on a data folder and returns its stdout. */
export function cli(home, ...args) {
  return execFileSync(join(bin, 'workdiary'), ['--home', home, ...args],
    { encoding: 'utf8', env: { ...process.env, WORKDIARY_LOCAL_ONLY: '1' } });
}

/**
 * Starts `wails dev` for the data folder home and resolves once the dev
 * server answers. stop() ends wails, vite and the app (one process group).
 */
export async function startWailsDev(home, { port = Number(process.env.WORKDIARY_E2E_PORT || 34115), timeoutMs = 8 * 60_000, env: extraEnv = {} } = {}) {
  const args = ['tool', 'wails', 'dev', '-tags', 'webkit2_41', '-m', '-nosyncgomod', '-skipbindings',
    '-noreload', '-nogorebuild', '-nocolour', '-devserver', `localhost:${port}`];
  // Wails finds Vite's URL in its output; CI=true makes Vite colour it, which
  // hides the URL from Wails, so colour is switched off.
  // The app writes the login entry (autostart) and may remember a moved
  // folder under XDG_CONFIG_HOME: a flow gets its own, never the user's.
  const xdg = extraEnv.XDG_CONFIG_HOME ? null : mkdtempSync(join(tmpdir(), 'wd-e2e-xdg-'));
  // The app logs at info (a tracking session's start, end and problems),
  // which waitOrExplain shows when a flow times out.
  const env = { ...process.env, WORKDIARY_HOME: home, NO_COLOR: '1',
    WORKDIARY_INPUT: join(bin, 'workdiary-input'), WORKDIARY_LOCAL_ONLY: '1', WORKDIARY_LOG_LEVEL: 'info',
    ...(xdg ? { XDG_CONFIG_HOME: xdg } : {}), ...extraEnv };
  delete env.FORCE_COLOR;
  const proc = spawn('go', args, {
    cwd: root,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((resolve) => proc.on('exit', resolve));
  const stop = async () => {
    try { process.kill(-proc.pid, 'SIGTERM'); } catch { /* already gone */ }
    const timer = setTimeout(() => { try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
    await exited;
    clearTimeout(timer);
    if (xdg) rmSync(xdg, { recursive: true, force: true });
  };
  const url = `http://localhost:${port}/`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`wails dev exited (${proc.exitCode}):\n${log}`);
    try {
      const res = await fetch(url);
      if (res.ok && log.includes('Serving DevServer')) return { url, stop, log: () => log };
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 1000));
  }
  await stop();
  throw new Error(`wails dev did not serve ${url} within ${timeoutMs / 1000}s:\n${log}`);
}

/**
 * Waits for locator to be visible. On a timeout the error also says what
 * the page showed and the app's last log records, and keeps a screenshot
 * of the page in build/e2e-out/, so that a failure on CI can be read
 * without running it again.
 */
export async function waitOrExplain(page, locator, dev, { timeout, name }) {
  try {
    await locator.waitFor({ timeout });
  } catch (err) {
    const shot = join(root, 'build', 'e2e-out', `failed-${name}.png`);
    await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
    const shown = await page.locator('body').innerText().catch((e) => `(unreadable: ${e.message})`);
    const logged = dev.log().split('\n').filter((l) => l.startsWith('time=')).slice(-40).join('\n');
    err.message += `\n--- the page showed:\n${shown.slice(0, 3000)}` +
      `\n--- the app's last log records:\n${logged || '(none)'}\n--- a screenshot of the page: ${shot}`;
    throw err;
  }
}

/** The system Chromium, headless, with the network quiet. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
