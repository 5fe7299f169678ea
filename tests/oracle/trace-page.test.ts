// The trace page (`check --html`) in a real browser: Debian's chromium driven by playwright-core (installed by
// .ci/run). An unsafe seed is stepped with the keyboard to its violation and the page is read there; a safe
// seed shows its verdict and the initial state; text from the user's files stays text. Screenshots of both
// are taken and checked; with PATCHLAB_SCREENSHOTS=1 they are also written to docs/ (the README shows them).

import { existsSync, mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const dir = mkdtempSync(join(tmpdir(), 'patchlab-page-'));
let browser: Browser;

beforeAll(async () => {
  // Not skipped when missing: .ci/run installs it, and a browser test that does not run must not pass.
  if (!CHROMIUM) throw new Error('chromium is not installed (apt-get install chromium; .ci/run does it)');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});
afterAll(async () => {
  await browser?.close();
});

async function open(scenario: string, name: string): Promise<Page> {
  const out = join(dir, `${name}.html`);
  const r = await runCli(['check', scenario, '--no-timing', '--html', out]);
  expect([0, 1]).toContain(r.status);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // The page needs nothing from the network: refuse every request that is not the file itself.
  await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
  await page.goto(pathToFileURL(out).href);
  expect(errors).toEqual([]);
  return page;
}

/** A PNG's width and height, and how many distinct bytes its compressed data has (a blank page has few). */
function png(path: string): { width: number; height: number; size: number } {
  const b = readFileSync(path);
  expect(b.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), size: b.length };
}

async function screenshot(page: Page, name: string): Promise<void> {
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  const p = png(path);
  expect(p.width).toBe(1400);
  expect(p.size).toBeGreaterThan(20_000); // text, tables and colours; an empty or broken page is a few KB
  if (process.env.PATCHLAB_SCREENSHOTS === '1') copyFileSync(path, join('docs', `trace-viewer-${name}.png`));
}

describe('the trace page in chromium', () => {
  it('steps an unsafe seed to its violation with the keyboard and shows the state there', async () => {
    const page = await open('examples/seeds/ppc32-ool-4insn.scn', 'unsafe');
    await expect(page.locator('#headline').textContent()).resolves.toMatch(/^unsafe: fell-through — T1 ran past the end of tramp/);
    await expect(page.locator('#headline').getAttribute('class')).resolves.toBe('unsafe');
    // Each patcher step names the scenario line it came from.
    await expect(page.locator('td .src').first().textContent()).resolves.toMatch(/^line \d+: (update|patch_instruction) /);
    // An instruction as assembled names its line too (T1's nops after the patched word).
    expect(await page.locator('td .src').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^line \d+: nop$/)]));
    const steps = await page.locator('tr.step').count();
    expect(steps).toBeGreaterThan(3);
    await expect(page.locator('#position').textContent()).resolves.toBe(`step 1 of ${steps}`);
    // Down to the end, one key at a time: the last step is the violating one.
    for (let k = 1; k < steps; k++) await page.keyboard.press('ArrowDown');
    await expect(page.locator('#position').textContent()).resolves.toBe(`step ${steps} of ${steps}`);
    await expect(page.locator('tr.step.selected').getAttribute('class')).resolves.toContain('violation');
    await expect(page.locator('#state .violation-text').textContent()).resolves.toMatch(/^violation: fell-through: T1 ran past the end of tramp/);
    // The state after the step: the registers of every CPU, what changed marked, the patched bytes.
    await expect(page.locator('#state-title').textContent()).resolves.toBe(`state after step ${steps}`);
    expect(await page.locator('#state h2').allTextContents()).toEqual(expect.arrayContaining(['kernel', 'open fetch windows', 'patched bytes']));
    await expect(page.locator('#state details[open] summary').textContent()).resolves.toBe('CPU 1 (T1), interrupts on');
    expect(await page.locator('#state .changed').count()).toBeGreaterThan(0);
    await screenshot(page, 'unsafe');
    // Back up with k and to the start with Home; a click selects a row.
    await page.keyboard.press('k');
    await expect(page.locator('#position').textContent()).resolves.toBe(`step ${steps - 1} of ${steps}`);
    await page.keyboard.press('Home');
    await expect(page.locator('#position').textContent()).resolves.toBe(`step 1 of ${steps}`);
    await page.locator('tr.step').nth(2).click();
    await expect(page.locator('#position').textContent()).resolves.toBe(`step 3 of ${steps}`);
    await page.close();
  });

  it('shows a safe seed: its verdict, no steps, the initial state', async () => {
    const page = await open('examples/seeds/x86-ool-text-poke-bp.scn', 'safe');
    await expect(page.locator('#headline').textContent()).resolves.toMatch(/^safe within bounds cpus=2/);
    await expect(page.locator('tr.step').count()).resolves.toBe(0);
    await expect(page.locator('#position').textContent()).resolves.toBe('no steps');
    await expect(page.locator('#state-title').textContent()).resolves.toBe('initial state');
    await screenshot(page, 'safe');
    await page.close();
  });

  it('shows text from the user as text, never as markup', async () => {
    // A file name with markup in it reaches the page through the report's own fields.
    const hostile = join(dir, '<img src=x onerror=alert(1)><b>bold<b>.scn');
    writeFileSync(hostile, readFileSync('examples/seeds/ppc32-ool-4insn.scn'));
    const page = await open(hostile, 'hostile');
    await expect(page.locator('#meta').textContent()).resolves.toContain('<img src=x onerror=alert(1)><b>bold<b>.scn');
    await expect(page.locator('img').count()).resolves.toBe(0);
    await expect(page.locator('header b').count()).resolves.toBe(0);
    await page.close();
  });
});
