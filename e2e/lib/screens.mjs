// Screenshots compared against reviewed baselines in e2e/testdata/journeys/,
// and keyboard-only moves. A baseline is a PNG of the window at one size; a
// new screenshot passes when at most TOLERANCE (0.1 %) of its pixels differ by more
// than FUZZ (ImageMagick `compare`), so font hinting and anti-aliasing do
// not fail a run while a moved or missing part does. Parts that change from
// run to run (keys, dates, invite codes) are masked before comparing.
//
// To update: WORKDIARY_UPDATE_BASELINES=1 node --test e2e/journeys.test.mjs,
// then look at every changed PNG before committing it.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './harness.mjs';

export const SIZES = [
  { name: '1200x775', width: 1200, height: 775 },
  { name: '900x600', width: 900, height: 600 },
];
const baselines = join(root, 'e2e', 'testdata', 'journeys');
const out = join(root, 'build', 'e2e-out', 'journeys');
const TOLERANCE = 0.001;
const FUZZ = '12%';
/** What differs on every run: keys, IDs, invite codes, dates and times. */
const MASK = ['.mono', '[data-testid$="-date"]', '[data-testid="timesheet-week"]', '[data-testid="offer-qr"]',
  '[data-testid="contract-last-sync"]', '[data-testid="team-last-sync"]', '[data-testid="team-work"]',
  '[data-testid="tracker-clock"]', '[data-testid="tracker-segment-from"]', '[data-testid="week-row"]'];

/**
 * Shoots the window at every size and compares each shot with its baseline.
 * Returns the problems found ('' entries are dropped); the caller asserts.
 */
export async function checkScreens(page, name) {
  mkdirSync(out, { recursive: true });
  mkdirSync(baselines, { recursive: true });
  const problems = [];
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.waitForTimeout(300);
    const file = `${name}-${size.name}.png`;
    const shot = join(out, file);
    await page.screenshot({ path: shot, mask: MASK.map((s) => page.locator(s)), animations: 'disabled', caret: 'hide' });
    const base = join(baselines, file);
    if (process.env.WORKDIARY_UPDATE_BASELINES === '1' || !existsSync(base)) {
      copyFileSync(shot, base);
      console.log(`baseline written: ${base} (review it before committing)`);
      continue;
    }
    const differing = diffPixels(base, shot, join(out, `${name}-${size.name}-diff.png`));
    const share = differing / (size.width * size.height);
    if (share > TOLERANCE) {
      problems.push(`${file}: ${(share * 100).toFixed(2)} % of pixels differ from the baseline (see ${out})`);
    }
  }
  await page.setViewportSize({ width: SIZES[0].width, height: SIZES[0].height });
  return problems;
}

/** Pixels that differ by more than FUZZ; a size change counts as all of them. */
function diffPixels(a, b, diff) {
  try {
    execFileSync('compare', ['-metric', 'AE', '-fuzz', FUZZ, a, b, diff], { stdio: ['ignore', 'pipe', 'pipe'] });
    return 0;
  } catch (err) {
    // compare exits 1 when the images differ and prints the count on stderr.
    const n = Number(String(err.stderr).trim().split(/\s/)[0]);
    if (err.status === 1 && Number.isFinite(n)) return n;
    return Number.POSITIVE_INFINITY;
  }
}

/**
 * Presses Tab (Shift+Tab when back) until the element with this test id has
 * the focus: the way a keyboard user gets there. Fails after max presses.
 */
export async function tabTo(page, testid, { max = 60, back = false } = {}) {
  for (let i = 0; i < max; i++) {
    const at = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');
    if (at === testid) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${testid}`);
}

/** Whether an element scrolls sideways: its content is wider than its box. */
export function scrollsSideways(page, selector) {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) throw new Error(`no ${sel}`);
    let box = el;
    while (box && box !== document.body) {
      if (box.scrollWidth > box.clientWidth + 1) return true;
      box = box.parentElement;
    }
    return false;
  }, selector);
}
