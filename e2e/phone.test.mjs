// hticket on a phone (390 px wide) and on a wide screen with a long title: no page is wider than the screen, the
// header stays one line, list rows become cards, the board scrolls inside its own region, long titles never push
// the other columns away and dates never wrap. Screenshots of the phone layout go to e2e/screenshots/.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer } from './server.mjs';
import { assertAccessible, launchBrowser, newPerson, openAccountMenu, screenshot } from './browser.mjs';
import { LONG_TITLE, seedManager, signInContext } from './seed.mjs';

const PORT = Number(process.env.E2E_PORT ?? 8797);
const PHONE = { width: 390, height: 844 };

let server;
let browser;
let cookie;

/** A signed-in person in a browser context of this size. */
async function person(name, viewport, colorScheme = 'light') {
  const who = await newPerson(browser, name, { colorScheme });
  await who.page.setViewportSize(viewport);
  await signInContext(who.context, server, cookie);
  return who;
}

async function pageWidth(page) {
  return page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth));
}

/** The elements that reach past the right edge of the screen, outside any scrolling container (for the message). */
async function overflowing(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 0.5 && !el.closest('.overflow-auto, .board'))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className} (${Math.round(el.getBoundingClientRect().right)})`);
  });
}

describe('hticket on a phone and on a wide screen', { concurrency: false }, () => {
  before(async () => {
    server = await startServer({ port: PORT });
    ({ cookie } = await seedManager(server));
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('fits every page into 390 px, with the header on one line', async () => {
    const { page, assertNoProblems } = await person('phone', PHONE);
    const pages = {
      dashboard: '/',
      list: '/p/NEX',
      board: '/p/NEX/board',
      ticket: '/p/NEX/t/2',
      invitations: '/invitations',
      profile: '/profile',
      members: '/p/NEX/members',
    };
    for (const [name, path] of Object.entries(pages)) {
      await page.goto(`${server.url}${path}`);
      assert.equal(await pageWidth(page), PHONE.width, `${name} is wider than the phone: ${await overflowing(page)}`);
      const header = await page.locator('body > header nav').boundingBox();
      assert.ok(header && header.height < 60, `the header of ${name} is one line (${header?.height} px high)`);
      await screenshot(page, `phone-${name}`);
    }
    await page.goto(`${server.url}/`);
    await openAccountMenu(page);
    assert.equal(await pageWidth(page), PHONE.width, 'the open account menu stays on the screen');
    // The header shows the Inbox; My issues and Invitations are in the menu on a phone.
    await page.locator('body > header').getByRole('link', { name: 'Inbox' }).waitFor();
    await page.locator('.user-menu').getByRole('link', { name: 'My issues' }).waitFor();
    await page.locator('.user-menu').getByRole('link', { name: 'Invitations' }).waitFor();
    await screenshot(page, 'phone-account-menu');
    await assertAccessible(page, 'account menu (phone)');
    assertNoProblems();
  });

  it('shows list rows as cards: key and title on top, badges, assignee and date beneath', async () => {
    const { page, assertNoProblems } = await person('cards', PHONE);
    await page.goto(`${server.url}/p/NEX`);
    const row = page.locator('#ticket-rows tr', { hasText: 'Login button is misaligned' });
    assert.equal(await row.evaluate((tr) => getComputedStyle(tr).display), 'flex');
    assert.equal(await page.locator('.ticket-table thead').isVisible(), true, 'the head stays for screen readers');
    const head = await page.locator('.ticket-table thead').boundingBox();
    assert.ok(head && head.height <= 1, 'the table head is visually hidden on a phone');
    const link = await row.getByRole('link').boundingBox();
    const status = await row.locator('td.s-in_progress').boundingBox();
    assert.ok(link && status && status.y >= link.y + link.height - 1, 'the badges sit under the title');
    const long = await page.locator('#ticket-rows tr', { hasText: 'Crashxxx' }).boundingBox();
    assert.ok(long && long.width <= PHONE.width, 'a long title wraps inside its card');
    assertNoProblems();
  });

  it('scrolls the board inside its own region, which the keyboard can reach and scroll', async () => {
    const { page, assertNoProblems } = await person('board', PHONE);
    await page.goto(`${server.url}/p/NEX/board`);
    const board = page.getByRole('region', { name: 'Board' });
    const sizes = await board.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    assert.ok(sizes.scroll > sizes.client, 'the board is wider than the phone and scrolls');
    assert.equal(await pageWidth(page), PHONE.width, 'the page itself does not scroll sideways');
    await board.focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => document.getElementById('board').scrollLeft > 0);
    await assertAccessible(page, 'board (phone)');
    assertNoProblems();
  });

  it('keeps the columns in place beside a long unbroken title at 1440 px, and dates on one line', async () => {
    const { page, assertNoProblems } = await person('wide', { width: 1440, height: 900 });
    await page.goto(`${server.url}/p/NEX`);
    const table = page.locator('.ticket-table');
    const container = await page.locator('.ticket-table').evaluate((el) => {
      const box = el.parentElement;
      return { scroll: box.scrollWidth, client: box.clientWidth };
    });
    assert.equal(container.scroll, container.client, 'the table does not scroll sideways');
    const created = await table.getByRole('columnheader', { name: 'Created' }).boundingBox();
    const main = await page.locator('main').boundingBox();
    assert.ok(created && main && created.x + created.width <= main.x + main.width + 1, 'Created stays on the screen');
    const row = page.locator('#ticket-rows tr', { hasText: 'Crashxxx' });
    const title = await row.getByRole('link').evaluate((a) => ({
      lines: Math.round(a.getBoundingClientRect().height / parseFloat(getComputedStyle(a).fontSize) / 1.5),
      full: a.textContent.length,
    }));
    assert.equal(title.full, LONG_TITLE.length, 'the whole title is in the link (clamped by CSS, not cut)');
    assert.ok(title.lines <= 2, `the long title is clamped to two lines (${title.lines})`);
    for (const cell of await row.locator('td:last-child').all()) {
      const lines = await cell.evaluate((td) => {
        const range = document.createRange();
        range.selectNodeContents(td);
        return range.getClientRects().length;
      });
      assert.equal(lines, 1, 'the date is on one line');
      assert.match((await cell.textContent()) ?? '', /^\d{4}-\d{2}-\d{2}$/);
    }
    await screenshot(page, 'list-long-title-1440');
    assertNoProblems();
  });
});
