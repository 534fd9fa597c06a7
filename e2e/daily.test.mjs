// Daily use in a real browser: repeat-safe submits, ticket addresses with Back and Forward, focus after modal actions,
// changes in place, search and My issues. Every wait is for a concrete state of the page, the URL or the server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer } from './server.mjs';
import {
  assertAccessible,
  assertSamePage,
  launchBrowser,
  markPage,
  newPerson,
  screenshot,
  stepper,
  submitJoin,
  waitForModalClosed,
  waitForModalOpen,
} from './browser.mjs';

const PORT = Number(process.env.E2E_DAILY_PORT ?? Number(process.env.E2E_PORT ?? 8797) + 1);
const PASSWORD = 'correct horse battery staple';
const SECOND_EMAIL = 'riley.second@example.com';

let server;
let browser;
let me;

const step = stepper({
  it,
  label: 'daily',
  server: () => server,
  people: () => [me],
  state: () =>
    me.page.evaluate(() => ({
      url: location.href,
      open: document.getElementById('modal')?.open,
      history: history.state,
      dialog: document.getElementById('dialog')?.innerHTML.slice(0, 300),
      active: document.activeElement?.outerHTML.slice(0, 200),
    })),
});

/** Ticket titles the server lists for a search (read with the page's own session, after every request has ended). */
async function serverTitles(page, q) {
  return page.evaluate(async (search) => {
    const res = await fetch(`/p/DAY/tickets?q=${encodeURIComponent(search)}`, { headers: { 'HX-Request': 'true' } });
    const html = await res.text();
    return [...html.matchAll(/hx-get="\/p\/DAY\/t\/\d+">([^<]*)<\/a>/g)].map((m) => m[1]);
  }, q);
}

/**
 * Holds the answers to the page's POSTs to `path` until `release()`, so every later click or key press surely lands
 * while the first request is still running; `settled()` waits until each held request has been answered.
 */
async function holdPosts(page, path) {
  let release;
  const gate = new Promise((resolve) => (release = resolve));
  const answered = [];
  const handler = async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    let done;
    answered.push(new Promise((resolve) => (done = resolve)));
    await gate;
    await route.continue();
    done();
  };
  const url = `${server.url}${path}`;
  await page.route(url, handler);
  return {
    get count() {
      return answered.length;
    },
    release,
    async settled() {
      await Promise.all(answered);
      await page.unroute(url, handler);
    },
  };
}

const activeText = (page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
/** The focused element's text once the page's current history step (Back, Forward, a modal's own back) is over. */
const focusAfterTraversal = (page) =>
  page.evaluate(async () => {
    await window.navigation?.transition?.finished.catch(() => {});
    return document.activeElement?.textContent?.trim() ?? '';
  });

describe('hticket every day', { concurrency: false }, () => {
  before(async () => {
    server = await startServer({ port: PORT });
    browser = await launchBrowser();
    me = await newPerson(browser, 'daily');
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  step('joins, makes a project, and is offered its first ticket', async () => {
    const [link] = await server.waitForOutput(/http:\/\/127\.0\.0\.1:\d+\/join\/[0-9a-f-]{36}\//);
    const { page } = me;
    await page.goto(link);
    await submitJoin(page, 'Dana Daily', PASSWORD);
    await page.waitForURL(`${server.url}/`);
    await page.getByRole('button', { name: 'New project' }).first().click();
    await waitForModalOpen(page);
    await page.locator('#modal [name="name"]').fill('Daily');
    await page.locator('#modal [name="key"]').fill('DAY');
    await page.locator('#modal').getByRole('button', { name: 'Create project' }).click();
    await waitForModalClosed(page);
    await page.goto(`${server.url}/p/DAY`);
    await page.getByRole('link', { name: 'Create the first ticket' }).click();
    await waitForModalOpen(page);
    await page.locator('#modal [name="title"]').waitFor();
    await page.keyboard.press('Escape');
    await waitForModalClosed(page);
    me.assertNoProblems();
  });

  step('files one ticket when Create ticket is double-clicked', async () => {
    const { page } = me;
    await page.getByRole('button', { name: 'New ticket' }).click();
    await waitForModalOpen(page);
    await page.locator('#modal [name="title"]').fill('Crash when uploading an avatar');
    await page.locator('#modal [name="description"]').fill('Large files make the upload fail.');
    const posts = await holdPosts(page, '/p/DAY/t');
    await page.locator('#modal').getByRole('button', { name: 'Create ticket' }).dblclick();
    // While the first request runs, its button is disabled and shows that it is busy.
    await page.locator('#modal button[type="submit"][disabled]').waitFor();
    posts.release();
    await waitForModalClosed(page);
    await posts.settled();
    await page.locator('#ticket-rows tr', { hasText: 'Crash when uploading an avatar' }).first().waitFor();
    assert.deepEqual(await serverTitles(page, 'Crash when uploading'), ['Crash when uploading an avatar']);
    assert.equal(await page.locator('#ticket-rows tr', { hasText: 'Crash when uploading an avatar' }).count(), 1);
    me.assertNoProblems();
  });

  step('files one ticket when Enter is pressed three times in the title', async () => {
    const { page } = me;
    await page.getByRole('button', { name: 'New ticket' }).click();
    await waitForModalOpen(page);
    const title = page.locator('#modal [name="title"]');
    await title.fill('Avatar thumbnails look blurry');
    const posts = await holdPosts(page, '/p/DAY/t');
    await title.focus();
    // Three presses while the first submit is still running (its answer is held until they are done).
    await page.keyboard.press('Enter');
    await page.locator('#modal button[type="submit"][disabled]').waitFor();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    posts.release();
    await waitForModalClosed(page);
    await posts.settled();
    await page.locator('#ticket-rows tr', { hasText: 'Avatar thumbnails look blurry' }).first().waitFor();
    assert.deepEqual(await serverTitles(page, 'thumbnails blurry'), ['Avatar thumbnails look blurry']);
    me.assertNoProblems();
  });

  step('finds a ticket by two words in any order, and by its key', async () => {
    const { page } = me;
    const search = page.locator('#ticket-filters [name="q"]');
    const rows = page.locator('#ticket-rows tr');
    await search.fill('avatar crash');
    await page.waitForURL(/q=avatar\+crash/);
    await page.locator('#ticket-rows tr', { hasText: 'Crash when uploading an avatar' }).waitFor();
    await page.locator('#ticket-rows tr', { hasText: 'Avatar thumbnails' }).waitFor({ state: 'detached' });
    assert.equal(await rows.count(), 1);
    await search.fill('DAY-2');
    await page.waitForURL(/q=DAY-2/);
    await page.locator('#ticket-rows tr', { hasText: 'Avatar thumbnails look blurry' }).waitFor();
    await page.locator('#ticket-rows tr', { hasText: 'Crash when uploading' }).waitFor({ state: 'detached' });
    assert.equal(await rows.count(), 1);
    await search.fill('nothing like this');
    await page.getByRole('link', { name: 'Clear filters' }).last().waitFor();
    await page.locator('#ticket-filters').getByRole('link', { name: 'Clear filters' }).click();
    await page.waitForURL(`${server.url}/p/DAY`);
    await page.locator('#ticket-rows tr', { hasText: 'Crash when uploading' }).waitFor();
    me.assertNoProblems();
  });

  step(
    'puts an open ticket in the address bar: Back closes it, Forward reopens it, reload shows its page',
    async () => {
      const { page } = me;
      const marker = await markPage(page);
      const listUrl = page.url();
      const openTicket = async () => {
        await page
          .locator('#ticket-rows')
          .getByRole('link', { name: /Crash when uploading/ })
          .click();
        await waitForModalOpen(page);
        await page.waitForURL(/\/p\/DAY\/t\/1$/);
      };
      await openTicket();
      // Escape closes it and leaves its address; once that history step is over, the focus is back on the link.
      await page.keyboard.press('Escape');
      await waitForModalClosed(page);
      await page.waitForURL(listUrl);
      assert.equal(await focusAfterTraversal(page), 'Crash when uploading an avatar', 'focus after Escape');
      await openTicket();
      await page.goBack();
      await waitForModalClosed(page);
      await page.waitForURL(listUrl);
      assert.equal(await focusAfterTraversal(page), 'Crash when uploading an avatar', 'focus after Back');
      await page.goForward();
      await waitForModalOpen(page);
      await page.waitForURL(/\/p\/DAY\/t\/1$/);
      await page.locator('#modal-title', { hasText: 'Crash when uploading' }).waitFor();
      await page.goBack();
      await waitForModalClosed(page);
      await page.waitForURL(listUrl);
      await assertSamePage(page, marker, 'Back and Forward over a ticket');

      await page.goForward();
      await waitForModalOpen(page);
      await page.reload();
      await page.getByRole('heading', { level: 1, name: /DAY-1 · Crash when uploading/ }).waitFor();
      assert.equal(await page.locator('#modal[open]').count(), 0);
      await page.goto(listUrl);
      me.assertNoProblems();
    },
  );

  step('changes a status in place in the ticket modal and from a list row', async () => {
    const { page } = me;
    const marker = await markPage(page);
    const row = page.locator('#ticket-rows tr', { hasText: 'Crash when uploading' });
    await row.getByRole('link', { name: /Crash when uploading/ }).click();
    await waitForModalOpen(page);
    await page.locator('#modal #ticket-status').focus();
    await page.locator('#modal #ticket-status').selectOption('IN_PROGRESS');
    // The list under the modal refreshes itself with the new status; the select keeps the focus.
    await row.filter({ hasText: 'In progress' }).waitFor();
    // The modal's activity shows the change without reopening the ticket.
    await page
      .locator('#modal #ticket-activity li', { hasText: 'changed status from “Open” to “In progress”' })
      .waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'ticket-status');
    assert.equal(await page.locator('#modal #ticket-status').inputValue(), 'IN_PROGRESS');
    await page.keyboard.press('Escape');
    await waitForModalClosed(page);

    // From the row: its status cell is a button that opens the row's editor.
    await row.getByRole('button', { name: /^Status of DAY-1/ }).click();
    const select = page.getByRole('combobox', { name: 'Status of DAY-1' });
    await select.waitFor();
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Status of DAY-1');
    await select.selectOption('REVIEW');
    await row
      .filter({ hasText: 'Review' })
      .getByRole('button', { name: /^Status of DAY-1/ })
      .waitFor();
    await page.waitForFunction(() =>
      /^Status of DAY-1: Review/.test(document.activeElement?.getAttribute('aria-label') ?? ''),
    );
    await assertAccessible(page, 'list with an edited row');
    await assertSamePage(page, marker, 'changing status in place');
    me.assertNoProblems();
  });

  step(
    'puts focus on Edit after saving, on the comment box after commenting, and on Cancel in the delete confirmation',
    async () => {
      const { page } = me;
      const marker = await markPage(page);
      await page
        .locator('#ticket-rows')
        .getByRole('link', { name: /Avatar thumbnails/ })
        .click();
      await waitForModalOpen(page);
      await page.locator('#modal').getByRole('button', { name: 'Edit' }).click();
      await page.locator('#modal [name="title"]').waitFor();
      await page.locator('#modal [name="title"]').fill('Avatar thumbnails look blurry on phones');
      await page.locator('#modal').getByRole('button', { name: 'Save changes' }).click();
      await page.locator('#modal-title', { hasText: 'on phones' }).waitFor();
      await page.waitForFunction(() => document.activeElement?.textContent?.trim() === 'Edit');

      await page.locator('#modal [name="body"]').fill('Seen on **two** phones.');
      await page.locator('#modal').getByRole('button', { name: 'Comment' }).click();
      await page.locator('#modal #ticket-comments strong', { hasText: 'two' }).waitFor();
      await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'body');

      await page.locator('#modal').getByRole('button', { name: 'Delete' }).click();
      await page
        .locator('#modal')
        .getByRole('button', { name: /Delete ticket/ })
        .waitFor();
      await page.waitForFunction(() => document.activeElement?.textContent?.trim() === 'Cancel');
      await page
        .locator('#modal')
        .getByRole('button', { name: /Delete ticket/ })
        .click();
      await waitForModalClosed(page);
      await page.locator('#ticket-rows tr', { hasText: 'Avatar thumbnails' }).waitFor({ state: 'detached' });
      // Focus is back on something in the page, not lost to the body.
      await page.waitForFunction(() => {
        const el = document.activeElement;
        return el && el !== document.body && el.isConnected && document.getElementById('main').contains(el);
      });
      assert.notEqual(await activeText(page), '');
      await assertSamePage(page, marker, 'saving, commenting and deleting');
      me.assertNoProblems();
    },
  );

  step('asks before removing a member: Cancel keeps them, confirming removes them', async () => {
    const { page } = me;
    // A second person joins DAY through an invitation, as anyone would.
    await page.goto(`${server.url}/invitations`);
    await page.getByRole('button', { name: /Invite people/ }).click();
    await waitForModalOpen(page);
    await page.locator('#modal [name="emails"]').fill(SECOND_EMAIL);
    await page.locator('#modal [name="project"]').selectOption({ label: 'Daily (DAY)' });
    await page.locator('#modal').getByRole('button', { name: 'Send invitations' }).click();
    await waitForModalClosed(page);
    const [outboxUrl] = await server.waitForOutput(/http:\/\/127\.0\.0\.1:\d+\/dev\/mail\?key=[\w-]+/);
    const second = await newPerson(browser, 'second');
    try {
      let href;
      for (let i = 0; i < 30 && !href; i++) {
        await second.page.goto(outboxUrl);
        // The email is composed by the queue consumer a moment after the invitation is made.
        const links = second.page
          .locator('article.outbox-email', { hasText: SECOND_EMAIL })
          .locator('a[href*="/join/"]');
        if (await links.count()) href = await links.first().getAttribute('href');
        if (!href) await second.page.waitForTimeout(500);
      }
      assert.ok(href, 'the invitation email reached the outbox');
      await second.page.goto(href);
      await submitJoin(second.page, 'Riley Second', PASSWORD);
      await second.page.waitForURL(/\/p\/DAY\/?$/);
      second.assertNoProblems();
    } finally {
      await second.context.close();
    }

    await page.goto(`${server.url}/p/DAY`);
    const marker = await markPage(page);
    const opener = page.getByRole('button', { name: 'Members' });
    await opener.click();
    await waitForModalOpen(page);
    const members = page.locator('#modal .member-list li');
    await members.filter({ hasText: 'Riley Second' }).waitFor();
    // The modal never opens on a destructive control.
    const focus = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        return {
          inModal: document.getElementById('modal').contains(el),
          danger: Boolean(el?.closest('[data-danger], .danger')),
          text: el?.textContent?.trim() ?? '',
        };
      });
    let at = await focus();
    assert.ok(at.inModal && !at.danger, `the members modal opened on ${JSON.stringify(at)}`);
    await assertAccessible(page, 'members modal', '#modal');

    // Remove asks first; Cancel (where the focus starts) keeps the member.
    await page.getByRole('button', { name: 'Remove Riley Second' }).click();
    await page.locator('#modal-title', { hasText: 'Remove Riley Second?' }).waitFor();
    await page.waitForFunction(() => document.activeElement?.textContent?.trim() === 'Cancel');
    await assertAccessible(page, 'remove confirmation', '#modal');
    await screenshot(page, 'remove-member-light');
    await page.locator('#modal').getByRole('button', { name: 'Cancel' }).click();
    await members.filter({ hasText: 'Riley Second' }).waitFor();
    at = await focus();
    assert.ok(at.inModal && !at.danger, `after Cancel the focus is on ${JSON.stringify(at)}`);
    const memberNames = () =>
      page.evaluate(() => [...document.querySelectorAll('#modal .member-list strong')].map((e) => e.textContent));
    assert.deepEqual((await memberNames()).sort(), ['Dana Daily', 'Riley Second']);

    // Confirming removes them; the focus stays in the modal, on a safe control.
    await page.getByRole('button', { name: 'Remove Riley Second' }).click();
    await page.locator('#modal').getByRole('button', { name: 'Remove Riley Second' }).waitFor();
    await page.locator('#modal').getByRole('button', { name: 'Remove Riley Second' }).click();
    await members.filter({ hasText: 'Riley Second' }).waitFor({ state: 'detached' });
    await page.locator('#modal-title', { hasText: 'Members' }).waitFor();
    assert.deepEqual(await memberNames(), ['Dana Daily']);
    await page.waitForFunction(() => {
      const el = document.activeElement;
      return document.getElementById('modal').contains(el) && !el.closest('[data-danger], .danger');
    });
    await page.keyboard.press('Escape');
    await waitForModalClosed(page);
    await page.waitForFunction(() => document.activeElement?.textContent?.trim() === 'Members');

    // A refresh the open modal asked for (a change announced by another page) that answers after it was closed
    // leaves it closed.
    await opener.click();
    await waitForModalOpen(page);
    const settled = page.evaluate(
      () => new Promise((resolve) => document.addEventListener('htmx:after:settle', resolve, { once: true })),
    );
    await page.evaluate(() => document.body.dispatchEvent(new CustomEvent('memberListUpdated', { bubbles: true })));
    await page.keyboard.press('Escape');
    await settled;
    assert.equal(await page.evaluate(() => document.getElementById('modal').open), false, 'the modal stays closed');
    assert.equal(await page.evaluate(() => document.getElementById('dialog').childElementCount), 0);
    await assertSamePage(page, marker, 'removing a member');
    me.assertNoProblems();
  });

  step('lists my tickets on My issues, linked from the header', async () => {
    const { page } = me;
    await page.getByRole('link', { name: 'My issues' }).click();
    await page.waitForURL(`${server.url}/my`);
    await page.getByRole('heading', { level: 1, name: 'My issues' }).waitFor();
    await page.locator('#my-rows tr', { hasText: 'Crash when uploading an avatar' }).waitFor();
    await page.locator('#my-filters [name="status"]').selectOption('DONE');
    await page.waitForURL(/\/my\?status=DONE/);
    await page.locator('#my-rows tr', { hasText: 'Crash when uploading' }).waitFor({ state: 'detached' });
    await assertAccessible(page, 'my issues');
    await screenshot(page, 'my-issues-light');
    me.assertNoProblems();
  });
  step(
    'sets a due date in the form and in place, and overdue and due today stand out (light, dark, 390 px)',
    async () => {
      const { page } = me;
      // The viewer's own days: the page marks dates on them.
      const { today, yesterday } = await page.evaluate(() => {
        const day = (d) =>
          `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
        const now = new Date();
        return { today: day(now), yesterday: day(new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1)) };
      });
      await page.goto(`${server.url}/p/DAY`);
      await page.getByRole('button', { name: 'New ticket' }).click();
      await waitForModalOpen(page);
      await page.locator('#modal [name="title"]').fill('Renew the certificate');
      await page.locator('#modal [name="due_date"]').fill(yesterday);
      await page.locator('#modal').getByRole('button', { name: 'Create ticket' }).click();
      await waitForModalClosed(page);
      const row = page.locator('#ticket-rows tr', { hasText: 'Renew the certificate' });
      await row.locator('.due-overdue', { hasText: `Overdue ${yesterday}` }).waitFor();

      // In place, from the ticket modal: due today.
      await row.getByRole('link', { name: 'Renew the certificate' }).click();
      await waitForModalOpen(page);
      await page.locator('#ticket-due_date').fill(today);
      // The date saves a second after its last change.
      await page.locator('#modal .due-today', { hasText: 'Due today' }).waitFor();
      await page.keyboard.press('Escape');
      await waitForModalClosed(page);
      await row.locator('.due-today', { hasText: 'Due today' }).waitFor();
      await assertAccessible(page, 'list with due dates');

      // The same person in a dark-scheme browser window, then at 390 px.
      const dark = await browser.newContext({
        colorScheme: 'dark',
        viewport: { width: 1280, height: 860 },
        storageState: await page.context().storageState(),
      });
      try {
        const darkPage = await dark.newPage();
        await darkPage.goto(`${server.url}/p/DAY`);
        const darkRow = darkPage.locator('#ticket-rows tr', { hasText: 'Renew the certificate' });
        await darkRow.locator('.due-today', { hasText: 'Due today' }).waitFor();
        await assertAccessible(darkPage, 'list with due dates, dark');
        await screenshot(darkPage, 'due-dates-dark');
        await darkPage.setViewportSize({ width: 390, height: 844 });
        await darkRow.locator('.due-today').waitFor();
        const width = await darkPage.evaluate(() => document.documentElement.scrollWidth);
        assert.equal(width, 390, 'no page wider than the phone');
        await assertAccessible(darkPage, 'list with due dates, 390 px dark');
        await screenshot(darkPage, 'due-dates-phone-dark');
      } finally {
        await dark.close();
      }
      me.assertNoProblems();
    },
  );
});
