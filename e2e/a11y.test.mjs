// Accessibility and daily use from the keyboard: axe-core finds no serious or critical problem on any page or open
// modal in the light and dark schemes and on a phone; the keyboard shortcuts work (and never while typing) and are
// announced; times read relative and local; a slow request shows the progress bar; a rename reaches the list.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer } from './server.mjs';
import {
  assertAccessible,
  launchBrowser,
  newPerson,
  openAccountMenu,
  screenshot,
  waitForModalClosed,
  waitForModalOpen,
} from './browser.mjs';
import { seedManager, signInContext } from './seed.mjs';

const PORT = Number(process.env.E2E_PORT ?? 8797);

let server;
let browser;
let cookie;

const PAGES = {
  dashboard: '/',
  list: '/p/NEX',
  board: '/p/NEX/board',
  ticket: '/p/NEX/t/1',
  invitations: '/invitations',
  profile: '/profile',
  members: '/p/NEX/members',
  inbox: '/inbox',
  'missing ticket': '/p/NEX/t/999',
};

/** Each modal, opened over the page it is opened from. */
const MODALS = [
  ['new ticket', '/p/NEX', '/p/NEX/t/new'],
  ['ticket', '/p/NEX', '/p/NEX/t/1'],
  ['edit ticket', '/p/NEX/t/1', '/p/NEX/t/1/edit'],
  ['delete ticket', '/p/NEX/t/1', '/p/NEX/t/1/delete'],
  ['new project', '/', '/projects/new'],
  ['project settings', '/p/NEX', '/p/NEX/settings'],
  ['delete project', '/p/NEX', '/p/NEX/delete'],
  ['members', '/p/NEX', '/p/NEX/members'],
  ['invite', '/invitations', '/invitations/new'],
  ['profile', '/', '/profile'],
];

const MODES = [
  { mode: 'light', viewport: { width: 1280, height: 860 }, colorScheme: 'light' },
  { mode: 'dark', viewport: { width: 1280, height: 860 }, colorScheme: 'dark' },
  { mode: 'phone', viewport: { width: 390, height: 844 }, colorScheme: 'light' },
];

async function person(name, { viewport = { width: 1280, height: 860 }, colorScheme = 'light' } = {}) {
  const who = await newPerson(browser, name, { colorScheme });
  await who.page.setViewportSize(viewport);
  await signInContext(who.context, server, cookie);
  return who;
}

async function openModal(page, url) {
  await page.evaluate((u) => window.htmx.ajax('GET', u, { target: '#dialog', swap: 'innerHTML' }), url);
  await waitForModalOpen(page);
}

/** Escape, and wait until the dialog's close has been handled (its event comes a task later) and Back has landed. */
async function escapeModal(page, url) {
  await page.keyboard.press('Escape');
  await waitForModalClosed(page);
  await page.waitForFunction(() => !document.getElementById('modal').hasAttribute('aria-labelledby'));
  if (url) await page.waitForURL(url);
}

async function announced(page, pattern) {
  await page.waitForFunction(
    (source) => new RegExp(source).test(document.getElementById('announcer')?.textContent ?? ''),
    pattern.source,
    { timeout: 5000 },
  );
}

describe('accessibility and the keyboard', { concurrency: false }, () => {
  before(async () => {
    server = await startServer({ port: PORT });
    ({ cookie } = await seedManager(server));
    // The confirmation that removing a member (the manager, NEX's one member) asks for.
    const members = await (await fetch(`${server.url}/p/NEX/members`, { headers: { Cookie: cookie } })).text();
    const remove = /href="(\/p\/NEX\/members\/[0-9a-f-]{36}\/remove)"/.exec(members)?.[1];
    assert.ok(remove, 'the members page links to a removal');
    MODALS.push(['remove member', '/p/NEX', remove]);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const { mode, viewport, colorScheme } of MODES) {
    it(`finds no serious problem on any page or open modal (${mode})`, async () => {
      const who = await person(mode, { viewport, colorScheme });
      const { page } = who;
      for (const [name, path] of Object.entries(PAGES)) {
        const visit = () => page.goto(`${server.url}${path}`);
        if (name === 'missing ticket') {
          await who.expectStatus(404, async () => {
            await visit();
            const text = await page.locator('main').innerText();
            assert.doesNotMatch(text, /Close this/, 'a missing ticket on a page of its own has nothing to close');
            await assertAccessible(page, `${name} (${mode})`);
          });
          continue;
        }
        await visit();
        assert.equal(await page.locator('h1').count(), 1, `${name} has one h1`);
        await assertAccessible(page, `${name} (${mode})`);
      }
      for (const [name, host, url] of MODALS) {
        await page.goto(`${server.url}${host}`);
        await openModal(page, url);
        const label = await page.locator('#modal').getAttribute('aria-labelledby');
        assert.equal(label, 'modal-title', `the ${name} modal is named by its title`);
        assert.equal(await page.locator('[id="modal-title"]').count(), 1, `one #modal-title with ${name} open`);
        await assertAccessible(page, `${name} modal (${mode})`);
        if (mode !== 'light') await screenshot(page, `${mode}-${name.replace(/ /g, '-')}-modal`);
        await page.keyboard.press('Escape');
        await waitForModalClosed(page);
        // The dialog's close event comes a moment after it closes; then it names nothing.
        await page.waitForFunction(() => !document.getElementById('modal').hasAttribute('aria-labelledby'));
      }
      // The signed-out pages.
      await who.context.clearCookies();
      for (const path of ['/login', '/password-reset']) {
        await page.goto(`${server.url}${path}`);
        await assertAccessible(page, `${path} (${mode})`);
      }
      who.assertNoProblems();
      await who.context.close();
    });
  }

  it('moves through the list with j and k, opens with Enter, edits with e, and says so', async () => {
    const who = await person('keyboard');
    const { page } = who;
    await page.goto(`${server.url}/p/NEX`);
    const links = page.locator('#ticket-rows a[href*="/t/"]');
    const focusedHref = () => page.evaluate(() => document.activeElement?.getAttribute('href'));

    await page.keyboard.press('j');
    assert.equal(await focusedHref(), await links.nth(0).getAttribute('href'));
    await announced(page, /1 of 4/);
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    assert.equal(await focusedHref(), await links.nth(2).getAttribute('href'));
    await page.keyboard.press('k');
    assert.equal(await focusedHref(), await links.nth(1).getAttribute('href'));
    await announced(page, /2 of 4/);
    assert.equal(await page.locator('#ticket-rows tr.kb-current').count(), 1, 'the chosen row is marked');
    const ring = await page.evaluate(() => getComputedStyle(document.activeElement));
    assert.ok(ring.outlineStyle === 'solid' && parseFloat(ring.outlineWidth) >= 2, 'the focus ring shows');
    await screenshot(page, 'keyboard-list-light');

    const chosen = await focusedHref();
    await page.keyboard.press('Enter');
    await waitForModalOpen(page);
    await page.waitForURL(new RegExp(`${chosen}$`));
    // The ticket view starts with the focus on its Edit button.
    await page.waitForFunction(() => document.activeElement?.getAttribute('href')?.endsWith('/edit'));
    await page.keyboard.press('e');
    await page.locator('#modal [name="title"]').waitFor();
    await announced(page, /Edit ticket/);
    // Typing in a field is typing, not a shortcut.
    await page.locator('#modal [name="title"]').press('End');
    await page.keyboard.type(' jke');
    assert.match(await page.locator('#modal [name="title"]').inputValue(), / jke$/);
    assert.equal(await page.locator('#modal [name="title"]').count(), 1, 'e in a field edited nothing else');
    await escapeModal(page, `${server.url}/p/NEX`);

    // e on a chosen row opens its edit form.
    await page.keyboard.press('j');
    await page.waitForFunction(() => document.activeElement?.closest('#ticket-rows'));
    await page.keyboard.press('e');
    await page.locator('#modal [name="title"]').waitFor();
    await escapeModal(page);
    who.assertNoProblems();
  });

  it('opens a new ticket with c and the search with /, but never while typing or with a modifier', async () => {
    const who = await person('shortcuts');
    const { page } = who;
    await page.goto(`${server.url}/p/NEX`);
    await page.locator('body').click({ position: { x: 5, y: 300 } });

    await page.keyboard.press('Control+c');
    await page.keyboard.press('Alt+c');
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => document.getElementById('modal').open), false, 'no shortcut with modifiers');

    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('type')), 'search');
    await announced(page, /Search/);
    await page.keyboard.type('crash c');
    await page.waitForTimeout(300);
    assert.equal(await page.locator('input[type="search"]').inputValue(), 'crash c', '/ and c are typed in the box');
    assert.equal(
      await page.evaluate(() => document.getElementById('modal').open),
      false,
      'c in the search box is text',
    );
    await page.locator('input[type="search"]').fill('');

    await page.locator('h1').click();
    await page.keyboard.press('c');
    await waitForModalOpen(page);
    await page.locator('#modal [name="title"]').waitFor();
    await announced(page, /New ticket/);
    await page.keyboard.press('Escape');
    await waitForModalClosed(page);

    await page.keyboard.press('Shift+?');
    await waitForModalOpen(page);
    await page.locator('#modal-title', { hasText: 'Keyboard shortcuts' }).waitFor();
    const keys = await page.locator('#modal kbd').allTextContents();
    for (const key of ['c', '/', 'j', 'k', 'Enter', 'e', '?']) assert.ok(keys.includes(key), `the list shows ${key}`);
    await assertAccessible(page, 'shortcuts dialog', '#modal');
    await screenshot(page, 'keyboard-shortcuts-light');
    await page.keyboard.press('Escape');
    await waitForModalClosed(page);

    // The account menu offers the same list.
    await openAccountMenu(page);
    await page.getByRole('link', { name: 'Keyboard shortcuts', exact: true }).click();
    await page.locator('#modal-title', { hasText: 'Keyboard shortcuts' }).waitFor();
    await page.keyboard.press('Escape');
    await waitForModalClosed(page);
    who.assertNoProblems();
  });

  it('spaces a field error from the next label and keeps the hint a hint', async () => {
    const who = await person('errors');
    const { page } = who;
    await page.goto(`${server.url}/p/NEX`);
    await page.getByRole('button', { name: 'New ticket' }).click();
    await waitForModalOpen(page);
    await who.expectStatus(422, async () => {
      await page.locator('#modal [name="title"]').fill('   ');
      await page.locator('#modal [name="description"]').fill('x'.repeat(10));
      await page.locator('#modal').getByRole('button', { name: 'Create ticket' }).click();
      await page.locator('#modal #title-error').waitFor();
    });
    const gap = await page.evaluate(() => {
      const error = document.getElementById('title-error').getBoundingClientRect();
      const next = document.querySelector('#modal label[for="field-description"]').getBoundingClientRect();
      return next.top - error.bottom;
    });
    assert.ok(gap >= 8, `the error keeps its distance from the next label (${gap} px)`);
    // An invalid description: its hint stays muted while its error is red.
    await page.evaluate(() => {
      const field = document.getElementById('field-description');
      field.setAttribute('aria-invalid', 'true');
    });
    const colors = await page.evaluate(() => ({
      hint: getComputedStyle(document.getElementById('description-hint')).color,
      error: getComputedStyle(document.getElementById('title-error')).color,
    }));
    assert.notEqual(colors.hint, colors.error, 'a hint is not coloured as an error');
    await screenshot(page, 'form-error-light');
    await page.keyboard.press('Escape');
    await waitForModalClosed(page);
    who.assertNoProblems();
  });

  it('shows times relative and in the viewer’s zone, with the exact time on hover', async () => {
    const who = await newPerson(browser, 'tokyo');
    await who.context.close();
    const context = await browser.newContext({ timezoneId: 'Asia/Tokyo', locale: 'en-US' });
    await signInContext(context, server, cookie);
    const page = await context.newPage();
    await page.goto(`${server.url}/p/NEX/t/1`);
    const time = page.locator('.ticket-fields time').first();
    const text = (await time.textContent()) ?? '';
    const title = (await time.getAttribute('title')) ?? '';
    const iso = (await time.getAttribute('datetime')) ?? '';
    assert.doesNotMatch(text, /UTC/, 'the text is relative, not the server’s UTC');
    assert.match(text, /now|second|minute|hour/);
    assert.match(title, /GMT\+9/, `the title is in the viewer’s zone (${title})`);
    const hour = new Date(iso).toLocaleString('en-US', { timeZone: 'Asia/Tokyo', hour: 'numeric' }).split(' ')[0];
    assert.ok(title.includes(`${hour}:`), `the title shows the Tokyo hour ${hour} (${title})`);
    await context.close();
  });

  it('shows a progress bar when a request takes longer than about 150 ms', async () => {
    const who = await person('slow');
    const { page } = who;
    await page.goto(`${server.url}/p/NEX`);
    await page.route('**/p/NEX/t/3', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 900));
      await route.continue();
    });
    await page.locator('#ticket-rows a[href="/p/NEX/t/3"]').click();
    await page.waitForSelector('html.loading', { timeout: 800 });
    await waitForModalOpen(page);
    await page.waitForFunction(() => !document.documentElement.classList.contains('loading'));
    await page.unroute('**/p/NEX/t/3');
    who.assertNoProblems();
  });

  it('shows a new name everywhere it appears after a rename, without a reload', async () => {
    const who = await person('rename');
    const { page } = who;
    await page.goto(`${server.url}/p/NEX`);
    const row = page.locator('#ticket-rows tr', { hasText: 'Login button is misaligned' });
    await row.getByText('Mona Manager').waitFor();
    await page.evaluate(() => {
      window.__marker = 'same page';
    });
    await openAccountMenu(page);
    await page.getByRole('link', { name: 'Your profile' }).click();
    await waitForModalOpen(page);
    await page.locator('#modal [name="name"]').fill('Mona Lisa');
    await page.locator('#modal').getByRole('button', { name: 'Save profile' }).click();
    await waitForModalClosed(page);
    await page.locator('#user-chip', { hasText: 'Mona Lisa' }).waitFor();
    await row.getByText('Mona Lisa').waitFor();
    await page.locator('nav.tabs').getByRole('link', { name: 'Board' }).click();
    await page.locator('.card', { hasText: 'Mona Lisa' }).waitFor();
    assert.equal(await page.evaluate(() => window.__marker), undefined, 'the board is another page');
    who.assertNoProblems();
  });
});
