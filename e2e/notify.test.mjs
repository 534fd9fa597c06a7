// Notifications in a real browser: a member mentions another with the keyboard (the @ picker), the mentioned member
// sees it in their inbox with the unread count in the header, opening it marks it read, and the email is in the
// development outbox. Every wait is for a concrete state of the page or the server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer } from './server.mjs';
import { assertAccessible, launchBrowser, newPerson, screenshot, stepper, submitJoin } from './browser.mjs';
import { SEED_PASSWORD, seedManager, signInContext } from './seed.mjs';

const PORT = Number(process.env.E2E_NOTIFY_PORT ?? Number(process.env.E2E_PORT ?? 8797) + 5);
const ADA = 'ada.lovelace@example.com';

let server;
let browser;
let mona;
let ada;
let outboxUrl;

const step = stepper({ it, label: 'notify', server: () => server, people: () => [mona, ada] });

/** The first link in an outbox email to `to` whose href matches `href`, waiting for the queue consumer. */
async function outboxLink(page, to, href) {
  for (let i = 0; i < 40; i++) {
    await page.goto(outboxUrl);
    const links = page.locator('article.outbox-email', { hasText: to }).locator(`a[href*="${href}"]`);
    if (await links.count()) return links.first().getAttribute('href');
    await page.waitForTimeout(500);
  }
  return null;
}

describe('notifications', { concurrency: false }, () => {
  before(async () => {
    server = await startServer({ port: PORT });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  step('a manager with a project invites Ada, who joins from the outbox', async () => {
    const { cookie } = await seedManager(server);
    [outboxUrl] = await server.waitForOutput(/http:\/\/127\.0\.0\.1:\d+\/dev\/mail\?key=[\w-]+/);
    mona = await newPerson(browser, 'mona');
    await signInContext(mona.context, server, cookie);
    const { page } = mona;
    await page.goto(`${server.url}/invitations/new`);
    await page.locator('[name="emails"]').fill(ADA);
    await page.locator('[name="project"]').selectOption({ label: 'Nexus (NEX)' });
    await page
      .getByRole('button', { name: /Send|Invite/ })
      .first()
      .click();
    await page.waitForURL(/\/invitations/);

    ada = await newPerson(browser, 'ada');
    const href = await outboxLink(ada.page, ADA, '/join/');
    assert.ok(href, 'the invitation reached the outbox');
    await ada.page.goto(href);
    await submitJoin(ada.page, 'Ada Lovelace', SEED_PASSWORD);
    await ada.page.waitForURL(/\/p\/NEX\/?$/);
    assert.equal(await ada.page.locator('a.inbox-link .unread-count').count(), 0);
  });

  step('Mona mentions Ada in a comment with the keyboard', async () => {
    const { page } = mona;
    await page.goto(`${server.url}/p/NEX/t/1`);
    const box = page.locator('#ticket-comments textarea[name="body"]');
    await box.click();
    await page.keyboard.type('Could you look, @Ad');
    const list = page.locator('#body-mentions');
    await list.waitFor({ state: 'visible' });
    assert.equal(await box.getAttribute('role'), 'combobox');
    assert.equal(await box.getAttribute('aria-expanded'), 'true');
    const active = await box.getAttribute('aria-activedescendant');
    assert.equal(await page.locator(`[id="${active}"]`).textContent(), 'Ada Lovelace');
    await page.keyboard.press('Enter');
    await list.waitFor({ state: 'hidden' });
    assert.equal(await box.getAttribute('aria-expanded'), null);
    assert.match(await box.inputValue(), /^Could you look, @\[Ada Lovelace\]\([0-9a-f-]{36}\) $/);
    await page.keyboard.type('please?');
    await page.locator('#ticket-comments').getByRole('button', { name: 'Comment' }).click();
    await page.locator('#ticket-comments .mention', { hasText: '@Ada Lovelace' }).waitFor();
    mona.assertNoProblems();
  });

  step('Ada sees the mention in her inbox with the unread count, and opening it marks it read', async () => {
    const { page } = ada;
    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: 'Inbox 1 unread' }).waitFor();
    assert.equal((await page.locator('a.inbox-link .unread-count').textContent())?.trim(), '1 unread');
    await page.locator('a.inbox-link').click();
    await page.waitForURL(/\/inbox$/);
    const item = page.locator('.inbox-item.unread', { hasText: 'Mona Manager mentioned you' });
    await item.waitFor();
    await assertAccessible(page, 'inbox');
    await screenshot(page, 'inbox');
    await item.getByRole('button').click();
    await page.waitForURL(/\/p\/NEX\/t\/1$/);
    assert.equal(await page.locator('a.inbox-link .unread-count').count(), 0);
    await page.goto(`${server.url}/inbox`);
    await page.locator('.inbox-item', { hasText: 'Mona Manager mentioned you' }).waitFor();
    assert.equal(await page.locator('.inbox-item.unread').count(), 0);
    ada.assertNoProblems();
  });

  step('the email about the comment is in the development outbox', async () => {
    const href = await outboxLink(ada.page, ADA, '/p/NEX/t/1');
    assert.ok(href, 'the email to Ada reached the outbox');
  });
});
