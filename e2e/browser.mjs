// Debian's Chromium driven by playwright-core (no browser download), plus the checks every page gets:
// console errors and failed requests fail the test, axe-core finds no serious or critical violation.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const SCREENSHOTS = join(here, 'screenshots');

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser() {
  // Playwright gives every launch a fresh, temporary user-data-dir.
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: FLAGS });
}

/**
 * One person: a fresh browser context (own cookies) and a page that records every problem. A step that provokes a
 * 4xx on purpose (a 422 form, a 404 it navigates to) says so with `expectStatus`; anything else fails the test.
 * @param {import('playwright-core').Browser} browser
 */
export async function newPerson(browser, name, { colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  const problems = [];
  const expected = new Set();
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const status = /status of (\d{3})/.exec(msg.text())?.[1];
    if (status && expected.has(Number(status))) return;
    const at = msg.location();
    problems.push(`${name}: console error: ${msg.text()} (at ${at.url}:${at.lineNumber})`);
  });
  page.on('pageerror', (err) => problems.push(`${name}: page error: ${err.message}`));
  page.on('requestfailed', (req) => {
    const error = req.failure()?.errorText ?? '';
    // A full navigation cancels the htmx requests still in flight; that is not a failure of the app.
    if (error === 'net::ERR_ABORTED') return;
    problems.push(`${name}: request failed: ${req.method()} ${req.url()} ${error}`);
  });
  page.on('response', (res) => {
    const status = res.status();
    if (status >= 400 && !expected.has(status)) problems.push(`${name}: unexpected ${status} for ${res.url()}`);
  });
  return {
    name,
    context,
    page,
    problems,
    /** Allows `status` answers while `fn` runs. */
    async expectStatus(status, fn) {
      expected.add(status);
      try {
        return await fn();
      } finally {
        expected.delete(status);
      }
    },
    assertNoProblems() {
      assert.deepEqual(problems, [], problems.join('\n'));
    },
  };
}

/** Runs axe-core in the page (or only inside `selector`) and fails on serious or critical violations. */
export async function assertAccessible(page, label, selector) {
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!hasAxe) await page.evaluate(axeSource);
  const violations = await page.evaluate(async (sel) => {
    const context = sel ? document.querySelector(sel) : document;
    const r = await window.axe.run(context, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
    }));
  }, selector ?? null);
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious, [], `${label}: accessibility violations\n${JSON.stringify(serious, null, 2)}`);
}

/**
 * The whole page, or only the open modal's content when one is open (a tall dialog scrolls inside itself).
 * Screenshots are for a person to look at after a run; `npm run test:e2e` empties the folder before each run.
 */
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  const modalOpen = await page.evaluate(() => document.getElementById('modal')?.open === true);
  if (modalOpen) await page.locator('#modal article').first().screenshot({ path });
  else await page.screenshot({ path, fullPage: true });
}

/** Sets a marker on `window`; `assertSamePage` proves no full reload happened since. */
export async function markPage(page) {
  const marker = `m${Math.random().toString(36).slice(2)}`;
  await page.evaluate((m) => {
    window.__hticketMarker = m;
  }, marker);
  return marker;
}

export async function assertSamePage(page, marker, what) {
  const now = await page.evaluate(() => window.__hticketMarker);
  assert.equal(now, marker, `${what} reloaded the page`);
}

export async function waitForModalOpen(page) {
  await page.waitForSelector('#modal[open] #modal-title', { timeout: 10_000 });
}

/**
 * The modal is closed and, when it had an address of its own (a ticket), app.js has stepped back off that history
 * entry: a navigation started before that step lands would be cut short by it.
 */
export async function waitForModalClosed(page) {
  await page.waitForFunction(() => !document.getElementById('modal')?.open && !history.state?.hticketModal, null, {
    timeout: 10_000,
  });
}

/** Focus moved into the open modal. */
export async function assertFocusInModal(page) {
  const inside = await page.evaluate(() => document.getElementById('modal')?.contains(document.activeElement));
  assert.ok(inside, 'focus is not inside the open modal');
}

/** Opens the header's account menu (Your profile, Keyboard shortcuts, Sign out). */
export async function openAccountMenu(page) {
  await page.locator('details.user-menu > summary').click();
  await page.locator('details.user-menu[open]').waitFor();
}

/**
 * The `step(name, fn)` of a file whose tests build on each other: after a failure the rest would only repeat it, so
 * they are skipped. The failing step prints the server's last output and what `state()` says about the page (if
 * given), and screenshots each person's page. `server()` and `people()` are read when a step fails.
 * @param {{ it: Function, label: string, server: () => any, people: () => any[], state?: () => Promise<unknown> }} opts
 */
export function stepper({ it, label, server, people, state }) {
  let failed = false;
  return function step(name, fn) {
    it(name, async (t) => {
      if (failed) return t.skip('an earlier step failed');
      try {
        await fn(t);
      } catch (error) {
        failed = true;
        console.error(`--- server output (last lines) ---\n${server()?.output().slice(-4000)}`);
        if (state) console.error('--- page state ---', JSON.stringify(await state().catch(String), null, 2));
        for (const person of people()) {
          if (person) await screenshot(person.page, `failed-${label}-${person.name}`).catch(() => {});
        }
        throw error;
      }
    });
  };
}

/** Fills the join page the browser is on (name, password twice) and submits it. */
export async function submitJoin(page, name, password) {
  await page.locator('[name="name"]').fill(name);
  await page.locator('[name="password"]').fill(password);
  await page.locator('[name="confirm"]').fill(password);
  await page.getByRole('button', { name: 'Create my account' }).click();
}
