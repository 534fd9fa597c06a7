// The whole journey in a real browser, as two people: the first manager and a member they invite.
// Every page and every open modal is checked with axe-core; console errors and failed requests fail the run;
// no create, edit or delete reloads the page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BOOTSTRAP_EMAIL, DATABASE, startServer } from './server.mjs';
import {
  assertAccessible,
  assertFocusInModal,
  assertSamePage,
  launchBrowser,
  markPage,
  newPerson,
  openAccountMenu,
  screenshot,
  stepper,
  submitJoin,
  waitForModalClosed,
  waitForModalOpen,
} from './browser.mjs';

const PORT = Number(process.env.E2E_PORT ?? 8797);
const MEMBER_EMAIL = 'member@example.com';
const SECOND_EMAIL = 'second@example.com';
const PASSWORD = 'correct horse battery staple';

let server;
let outboxUrl;
let browser;
let manager;
let member;

const step = stepper({ it, label: 'journey', server: () => server, people: () => [manager, member] });

describe(`hticket in a browser (${DATABASE})`, { concurrency: false }, () => {
  before(async () => {
    server = await startServer({ port: PORT });
    browser = await launchBrowser();
    manager = await newPerson(browser, 'manager');
    member = await newPerson(browser, 'member');
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  step('lets the first manager join through the link printed on the console', async () => {
    const [link] = await server.waitForOutput(/http:\/\/127\.0\.0\.1:\d+\/join\/[0-9a-f-]{36}\//);
    // The outbox asks for this run's key, which the console shows with the first manager's link.
    [outboxUrl] = await server.waitForOutput(/http:\/\/127\.0\.0\.1:\d+\/dev\/mail\?key=[\w-]+/);
    const { page } = manager;
    await page.goto(link);
    await assertAccessible(page, 'join page');
    await screenshot(page, 'join-light');
    const email = page.locator('input[name="email"]');
    assert.equal(await email.inputValue(), BOOTSTRAP_EMAIL);
    assert.equal(await email.getAttribute('readonly'), '');
    await submitJoin(page, 'Mona Manager', PASSWORD);
    await page.waitForURL(`${server.url}/`);
    await page.getByRole('heading', { name: 'Your projects' }).waitFor();
    await assertAccessible(page, 'empty dashboard');
    manager.assertNoProblems();
  });

  step('creates projects in the modal without reloading, and Escape closes the modal', async () => {
    const { page } = manager;
    const marker = await markPage(page);
    const trigger = page.getByRole('button', { name: 'New project' }).first();

    await trigger.click();
    await waitForModalOpen(page);
    await assertFocusInModal(page);
    await assertAccessible(page, 'new project modal', '#modal');
    await page.keyboard.press('Escape');
    await waitForModalClosed(page);
    assert.ok(await trigger.evaluate((el) => el === document.activeElement), 'focus went back to the trigger');

    await trigger.click();
    await waitForModalOpen(page);
    await page.locator('#modal [name="name"]').fill('Nexus');
    await page.locator('#modal [name="key"]').fill('NEX');
    await page.locator('#modal [name="description"]').fill('The **main** product.');
    await page.locator('#modal').getByRole('button', { name: 'Create project' }).click();
    await waitForModalClosed(page);
    await page.locator('#project-NEX').waitFor();
    assert.ok(await trigger.evaluate((el) => el === document.activeElement), 'focus went back after success');

    await trigger.click();
    await waitForModalOpen(page);
    await page.locator('#modal [name="name"]').fill('Secret plans');
    await page.locator('#modal [name="key"]').fill('SEC');
    await page.locator('#modal').getByRole('button', { name: 'Create project' }).click();
    await waitForModalClosed(page);
    await page.locator('#project-SEC').waitFor();

    await assertSamePage(page, marker, 'creating projects');
    await assertAccessible(page, 'dashboard');
    await screenshot(page, 'dashboard-light');

    await openAccountMenu(page);
    await page.getByRole('link', { name: 'Your profile' }).click();
    await waitForModalOpen(page);
    await assertAccessible(page, 'profile modal', '#modal');
    await screenshotBoth(page, 'profile-modal');
    await page.keyboard.press('Escape');
    await waitForModalClosed(page);
    manager.assertNoProblems();
  });

  step('invites a member to a project from the invite modal', async () => {
    const { page } = manager;
    await page.goto(`${server.url}/invitations`);
    const marker = await markPage(page);
    await page.getByRole('button', { name: /Invite people/ }).click();
    await waitForModalOpen(page);
    await assertAccessible(page, 'invite modal', '#modal');
    await screenshot(page, 'invite-modal-light');
    await page.locator('#modal [name="emails"]').fill(`${MEMBER_EMAIL}\n${SECOND_EMAIL}`);
    await page.locator('#modal [name="project"]').selectOption({ label: 'Nexus (NEX)' });
    await page.locator('#modal').getByRole('button', { name: 'Send invitations' }).click();
    await waitForModalClosed(page);
    await page.locator('tr', { hasText: MEMBER_EMAIL }).waitFor();
    await assertSamePage(page, marker, 'inviting');
    await assertAccessible(page, 'invitations page');
    await screenshotBoth(page, 'invitations');
    manager.assertNoProblems();
  });

  step('lets the member join from the outbox link and land in the project', async () => {
    const { page } = member;
    await page.goto(`${server.url}/login`);
    await assertAccessible(page, 'sign-in page');
    await screenshotBoth(page, 'sign-in');
    let href;
    for (let i = 0; i < 30 && !href; i++) {
      await page.goto(outboxUrl);
      // The email is composed by the queue consumer a moment after the invitation is made.
      const links = page.locator('article.outbox-email', { hasText: MEMBER_EMAIL }).locator('a[href*="/join/"]');
      if (await links.count()) href = await links.first().getAttribute('href');
      if (!href) await page.waitForTimeout(500);
    }
    assert.ok(href, 'the invitation email reached the outbox');
    await assertAccessible(page, 'outbox');
    await page.goto(href);
    const email = page.locator('input[name="email"]');
    assert.equal(await email.inputValue(), MEMBER_EMAIL);
    assert.equal(await email.getAttribute('readonly'), '');
    await submitJoin(page, 'Max Member', PASSWORD);
    await page.waitForURL(/\/p\/NEX\/?$/);
    await page.getByRole('heading', { name: /Nexus/ }).first().waitFor();
    member.assertNoProblems();
  });

  step('creates a ticket in the modal: a validation error first, then the ticket appears in the list', async () => {
    const { page } = member;
    const marker = await markPage(page);
    const trigger = page.getByRole('button', { name: 'New ticket' });
    await trigger.click();
    await waitForModalOpen(page);
    await assertAccessible(page, 'new ticket modal', '#modal');

    // The browser refuses an empty field itself; a title of spaces passes it and is refused by the server.
    await member.expectStatus(422, async () => {
      await page.locator('#modal [name="title"]').fill('   ');
      await page.locator('#modal').getByRole('button', { name: 'Create ticket' }).click();
      await page.locator('#modal .field-error').first().waitFor();
    });
    assert.equal(await page.locator('#modal [name="title"]').getAttribute('aria-invalid'), 'true');
    await screenshot(page, 'ticket-form-error-light');
    assert.ok(await page.evaluate(() => document.getElementById('modal').open), 'the modal stays open on 422');

    await page.locator('#modal [name="title"]').fill('Login button is misaligned');
    await page.locator('#modal [name="description"]').fill('Steps:\n\n1. Open *sign-in*\n2. Look at the button');
    await page.locator('#modal').getByRole('button', { name: 'Create ticket' }).click();
    await waitForModalClosed(page);
    await page.locator('#ticket-rows tr', { hasText: 'Login button is misaligned' }).waitFor();
    await assertSamePage(page, marker, 'creating a ticket');
    await assertAccessible(page, 'ticket list');
    await screenshot(page, 'list-light');
    member.assertNoProblems();
  });

  step('files one ticket when Create ticket is double-clicked', async () => {
    const { page } = member;
    await page.getByRole('button', { name: 'New ticket' }).click();
    await waitForModalOpen(page);
    await page.locator('#modal [name="title"]').fill('Crash when uploading an avatar');
    await page.locator('#modal [name="description"]').fill('Large files make the upload crash.');
    await page.locator('#modal').getByRole('button', { name: 'Create ticket' }).dblclick();
    await waitForModalClosed(page);
    const rows = page.locator('#ticket-rows tr', { hasText: 'Crash when uploading an avatar' });
    await rows.first().waitFor();
    // The server's own list (a repeat of the form is refused there too, whenever it arrives).
    const listed = await page.evaluate(async () => {
      const res = await fetch('/p/NEX/tickets?q=uploading+avatar', { headers: { 'HX-Request': 'true' } });
      return (await res.text()).match(/Crash when uploading an avatar/g)?.length ?? 0;
    });
    assert.equal(listed, 1, 'a double click filed one ticket');
    member.assertNoProblems();
  });

  step(
    'puts an open ticket in the address bar: Back closes it, Forward reopens it, a new tab shows its page',
    async () => {
      const { page } = member;
      const marker = await markPage(page);
      const listUrl = page.url();
      await page
        .locator('#ticket-rows')
        .getByRole('link', { name: /Crash when uploading/ })
        .click();
      await waitForModalOpen(page);
      await page.waitForURL(/\/p\/NEX\/t\/\d+$/);
      const ticketUrl = page.url();
      await page.goBack();
      await waitForModalClosed(page);
      assert.equal(page.url(), listUrl);
      await page.goForward();
      await waitForModalOpen(page);
      assert.equal(page.url(), ticketUrl);
      await page.locator('#modal-title', { hasText: 'Crash when uploading' }).waitFor();

      await member.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
      await page.locator('#modal').getByRole('button', { name: 'Copy link' }).click();
      await page.locator('#modal').getByRole('button', { name: 'Link copied' }).waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), ticketUrl);

      await page.keyboard.press('Escape');
      await waitForModalClosed(page);
      await page.waitForURL(listUrl);
      await assertSamePage(page, marker, 'Back, Forward and closing a ticket');

      const tab = await member.context.newPage();
      await tab.goto(ticketUrl);
      await tab.getByRole('heading', { level: 1, name: /Crash when uploading/ }).waitFor();
      assert.equal(await tab.locator('h1').count(), 1, 'the ticket page has one h1');
      await assertAccessible(tab, 'ticket page');
      await tab.close();

      // A form opened as a page of its own leaves for the project on Cancel (and on ×).
      await page.goto(`${server.url}/p/NEX/t/new`);
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.waitForURL(`${server.url}/p/NEX`);
      await page.goto(`${server.url}/p/NEX/t/new`);
      await page.getByRole('link', { name: 'Close' }).click();
      await page.waitForURL(`${server.url}/p/NEX`);
      member.assertNoProblems();
    },
  );

  step('opens the ticket as a modal and edits it', async () => {
    const { page } = member;
    const marker = await markPage(page);
    await page
      .locator('#ticket-rows')
      .getByRole('link', { name: /Login button is misaligned/ })
      .click();
    await waitForModalOpen(page);
    await assertAccessible(page, 'ticket modal', '#modal');
    await screenshot(page, 'ticket-modal-light');
    await page.locator('#modal').getByRole('button', { name: 'Edit' }).click();
    // The edit form's own select: the ticket view has an in-place one of the same name until the form replaces it.
    await page.locator('#modal form.ticket-form [name="priority"]').waitFor();
    await page.locator('#modal form.ticket-form [name="priority"]').selectOption('HIGH');
    await page.locator('#modal').getByRole('button', { name: 'Save changes' }).click();
    // Saving goes back to the ticket's view, with focus on its Edit button.
    await page.waitForFunction(() => document.querySelector('#modal #ticket-priority')?.value === 'HIGH');
    await page.waitForFunction(() => document.activeElement?.textContent?.trim() === 'Edit');
    await page.keyboard.press('Escape');
    await waitForModalClosed(page);
    await page
      .locator('#ticket-rows tr', { hasText: 'Login button is misaligned' })
      .filter({ hasText: /High/i })
      .waitFor();
    await assertSamePage(page, marker, 'editing a ticket');
    member.assertNoProblems();
  });

  step('moves the ticket on the board with the keyboard control and by drag and drop', async () => {
    const { page } = member;
    await page.getByRole('link', { name: 'Board' }).click();
    await page.waitForURL(/\/p\/NEX\/board$/);
    const marker = await markPage(page);
    await assertAccessible(page, 'board');
    const card = () => page.locator('.card', { hasText: 'Login button is misaligned' });

    // Keyboard: the board's one "Move to" control follows the focus into the card; Tab reaches it from the card's link.
    await card().locator('a.card-title').focus();
    await page.keyboard.press('Tab');
    const select = card().getByLabel(/^Move NEX-\d+ to$/);
    await select.selectOption('IN_PROGRESS');
    await card().getByRole('button', { name: 'Move' }).press('Enter');
    await page.locator('[data-drop-status="IN_PROGRESS"] .card', { hasText: 'Login button' }).waitFor();
    // The board was replaced; a keyboard user keeps their place on the moved card's control.
    await page.waitForFunction(() => document.activeElement?.closest('.card')?.dataset.status === 'IN_PROGRESS');

    // Drag and drop into Review.
    await card().dragTo(page.locator('[data-drop-status="REVIEW"]'));
    await page.locator('[data-drop-status="REVIEW"] .card', { hasText: 'Login button' }).waitFor();
    await assertSamePage(page, marker, 'moving a card');
    await screenshot(page, 'board-light');
    member.assertNoProblems();
  });

  step('comments with Markdown in the ticket modal', async () => {
    const { page } = member;
    const marker = await markPage(page);
    await card(page).locator('a.card-title').click();
    await waitForModalOpen(page);
    await page.locator('#modal [name="body"]').fill('Fixed in **review** build.');
    await page.locator('#modal').getByRole('button', { name: 'Comment' }).click();
    await page.locator('#modal #ticket-comments strong', { hasText: 'review' }).waitFor();
    // Focus stays in the comments, ready for the next one.
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'body');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(300);
    await screenshot(page, 'ticket-modal-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.keyboard.press('Escape');
    await waitForModalClosed(page);
    await assertSamePage(page, marker, 'commenting');
    member.assertNoProblems();
  });

  step('keeps the member out of a project they are not in', async () => {
    const { page } = member;
    await member.expectStatus(404, async () => {
      const res = await page.goto(`${server.url}/p/SEC`);
      assert.equal(res.status(), 404);
      await screenshotBoth(page, 'not-found');
    });
    await page.goto(`${server.url}/`);
    assert.equal(await page.locator('#project-SEC').count(), 0);
    member.assertNoProblems();
  });

  step(
    'lets the member rename themself in the profile modal, then sign out, and Back shows no private page',
    async () => {
      const { page } = member;
      const marker = await markPage(page);
      await openAccountMenu(page);
      await page.getByRole('link', { name: 'Your profile' }).click();
      await waitForModalOpen(page);
      await page.locator('#modal [name="name"]').fill('Max Mustermann');
      await page.locator('#modal').getByRole('button', { name: 'Save profile' }).click();
      await waitForModalClosed(page);
      await page.locator('#user-chip', { hasText: 'Max Mustermann' }).waitFor();
      await assertSamePage(page, marker, 'saving the profile');

      // After sign-out, Back must not bring a private page back from the browser's caches.
      await page.goto(`${server.url}/p/NEX/t/1`);
      await page.getByRole('heading', { name: /^NEX-1 · / }).waitFor();
      await openAccountMenu(page);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/\/login/);
      await page.goBack();
      await page.waitForURL(/\/login\?next=%2Fp%2FNEX%2Ft%2F1$/);
      assert.equal(await page.getByText(/NEX-1 · /).count(), 0, 'the ticket is not shown again after sign-out');
      await page.goto(`${server.url}/p/NEX`);
      await page.waitForURL(/\/login\?next=%2Fp%2FNEX/);
      member.assertNoProblems();
    },
  );

  step('resets a forgotten password with the emailed link, then signs in with the new one', async () => {
    const { page } = member;
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.locator('[name="email"]').fill(MEMBER_EMAIL);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByText(/link/i).first().waitFor();

    let href;
    for (let i = 0; i < 30 && !href; i++) {
      await page.goto(outboxUrl);
      const links = page
        .locator('article.outbox-email', { hasText: MEMBER_EMAIL })
        .locator('a[href*="/password-reset/"]');
      if (await links.count()) href = await links.first().getAttribute('href');
      if (!href) await page.waitForTimeout(500);
    }
    assert.ok(href, 'the reset email reached the outbox');
    await page.goto(href);
    await assertAccessible(page, 'set a new password');
    const NEW_PASSWORD = 'a different long passphrase';
    await page.locator('[name="new_password"]').fill(NEW_PASSWORD);
    await page.locator('[name="confirm_password"]').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set the password' }).click();
    await page.waitForURL(/\/login/);

    await page.locator('[name="email"]').fill(MEMBER_EMAIL);
    await page.locator('[name="password"]').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/`);
    await page.locator('#user-chip', { hasText: 'Max Mustermann' }).waitFor();
    member.assertNoProblems();
  });

  step('lets the manager filter the list and delete the ticket after confirming', async () => {
    const { page } = manager;
    await page.goto(`${server.url}/p/NEX`);
    const marker = await markPage(page);
    await page.getByRole('button', { name: 'Members' }).click();
    await waitForModalOpen(page);
    await assertAccessible(page, 'members modal', '#modal');
    await screenshotBoth(page, 'members-modal');
    await page.keyboard.press('Escape');
    await waitForModalClosed(page);
    const row = page.locator('#ticket-rows tr', { hasText: 'Login button is misaligned' });
    await row.waitFor();

    await page.locator('#ticket-filters [name="status"]').selectOption('DONE');
    await row.waitFor({ state: 'detached' });
    await page.waitForURL(/status=DONE/);
    await page.locator('#ticket-filters [name="status"]').selectOption('REVIEW');
    await row.waitFor();

    await row.getByRole('link', { name: /Login button is misaligned/ }).click();
    await waitForModalOpen(page);
    await page.locator('#modal').getByRole('button', { name: 'Delete' }).click();
    await page
      .locator('#modal')
      .getByRole('button', { name: /Delete ticket/ })
      .waitFor();
    await assertAccessible(page, 'delete confirmation', '#modal');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Cancel');
    await screenshotBoth(page, 'delete-confirmation');
    await page
      .locator('#modal')
      .getByRole('button', { name: /Delete ticket/ })
      .click();
    await waitForModalClosed(page);
    await row.waitFor({ state: 'detached' });
    // The row that opened the modal is gone: the focus is on the main region once the modal's history step is over
    // (an intercepted Back must not reset it to the body afterwards).
    const focused = await page.evaluate(async () => {
      await window.navigation?.transition?.finished.catch(() => {});
      return document.activeElement?.id;
    });
    assert.equal(focused, 'main', 'focus is on the main region after deleting');
    await assertSamePage(page, marker, 'filtering and deleting');
    manager.assertNoProblems();
  });

  step('looks tidy in the dark color scheme too', async () => {
    const dark = await newPerson(browser, 'dark', { colorScheme: 'dark' });
    const { page } = dark;
    await page.goto(outboxUrl);
    const join = page.locator('article.outbox-email', { hasText: SECOND_EMAIL }).locator('a[href*="/join/"]');
    await page.goto(await join.first().getAttribute('href'));
    await assertAccessible(page, 'join page (dark)');
    await screenshot(page, 'join-dark');
    await page.goto(`${server.url}/login`);
    await page.locator('[name="email"]').fill(BOOTSTRAP_EMAIL);
    await page.locator('[name="password"]').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/`);
    await screenshot(page, 'dashboard-dark');
    await page.goto(`${server.url}/p/NEX`);
    await screenshot(page, 'list-dark');
    await assertAccessible(page, 'list (dark)');
    await page.goto(`${server.url}/p/NEX/board`);
    await screenshot(page, 'board-dark');
    await page.goto(`${server.url}/invitations`);
    await page.getByRole('button', { name: /Invite people/ }).click();
    await waitForModalOpen(page);
    await assertAccessible(page, 'invite modal (dark)', '#modal');
    await screenshot(page, 'invite-modal-dark');
    dark.assertNoProblems();
    await dark.context.close();
  });
});

/** The same view in the light and the dark color scheme. */
async function screenshotBoth(page, name) {
  await screenshot(page, `${name}-light`);
  await page.emulateMedia({ colorScheme: 'dark' });
  // Pico animates colors; let the change settle before the picture.
  await page.waitForTimeout(300);
  await screenshot(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
}

function card(page) {
  return page.locator('.card', { hasText: 'Login button is misaligned' });
}
