/**
 * The served HTML of every page and partial, read as a browser would get it: no id twice, no aria-labelledby,
 * aria-describedby or label `for` naming an id that is not there, and one h1 on every full page. A modal's partial
 * lands in the page it was opened from, so it is checked together with each page that opens modals.
 */
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ticketEvents, tickets, type Project } from '../../../src/db/schema';
import { makeProject, member } from '../fixtures';
import { send, testDb } from '../helpers';
import { makeInvitation } from '../invitations/helpers';
import { fileTicket } from '../tickets/fixtures';

interface Markup {
  ids: string[];
  /** Every id named by aria-labelledby, aria-describedby and label `for`, with the attribute that named it. */
  refs: { attr: string; id: string }[];
  h1: number;
}

async function readMarkup(html: string): Promise<Markup> {
  const markup: Markup = { ids: [], refs: [], h1: 0 };
  const rewriter = new HTMLRewriter()
    .on('[id]', {
      element(el) {
        markup.ids.push(el.getAttribute('id')!);
      },
    })
    .on('[aria-labelledby], [aria-describedby], label[for]', {
      element(el) {
        for (const attr of ['aria-labelledby', 'aria-describedby', 'for']) {
          for (const id of (el.getAttribute(attr) ?? '').split(/\s+/).filter(Boolean)) markup.refs.push({ attr, id });
        }
      },
    })
    .on('h1', {
      element() {
        markup.h1++;
      },
    });
  await rewriter.transform(new Response(html)).text();
  return markup;
}

function problems(markup: Markup): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const id of markup.ids) {
    if (seen.has(id)) out.push(`id "${id}" appears twice`);
    seen.add(id);
  }
  for (const ref of markup.refs) {
    if (!seen.has(ref.id)) out.push(`${ref.attr} names "${ref.id}", which is not there`);
  }
  return out;
}

let project: Project;
let cookie: string;
let number: number;
let eventId: string;
let inviteToken: string;
let otherId: string;

beforeAll(async () => {
  project = await makeProject({ name: 'Markup', description: 'A project **described**.' });
  ({ cookie } = await member(project, { role: 'MANAGER', name: 'Mona Manager' }));
  const other = await member(project, { name: 'Max Member' });
  otherId = other.user.id;
  number = await fileTicket(project, cookie, { title: 'First', description: 'Old text', assignee: other.user.id });
  await fileTicket(project, cookie, { title: 'Second', status: 'DONE' });
  const key = project.key;
  const edit = await send(`/p/${key}/t/${number}`, {
    cookie,
    htmx: true,
    form: { title: 'First', description: 'New text', status: 'REVIEW', priority: 'HIGH', assignee: other.user.id },
  });
  expect(edit.status).toBeLessThan(300);
  const comment = await send(`/p/${key}/t/${number}/comments`, { cookie, htmx: true, form: { body: 'A comment' } });
  expect(comment.status).toBe(200);
  const [ticket] = await testDb()
    .select()
    .from(tickets)
    .where(and(eq(tickets.projectId, project.id), eq(tickets.number, number)));
  const [event] = await testDb()
    .select()
    .from(ticketEvents)
    .where(and(eq(ticketEvents.ticketId, ticket!.id), eq(ticketEvents.field, 'description')));
  eventId = event!.id;
  await makeInvitation({ projectId: project.id });
  ({ token: inviteToken } = await makeInvitation());
});

const paths = {
  dashboard: () => '/',
  list: () => `/p/${project.key}`,
  filteredList: () => `/p/${project.key}?status=DONE&q=Second`,
  board: () => `/p/${project.key}/board`,
  ticket: () => `/p/${project.key}/t/${number}`,
  editTicket: () => `/p/${project.key}/t/${number}/edit`,
  deleteTicket: () => `/p/${project.key}/t/${number}/delete`,
  newTicket: () => `/p/${project.key}/t/new`,
  history: () => `/p/${project.key}/t/${number}/history/${eventId}`,
  newProject: () => '/projects/new',
  settings: () => `/p/${project.key}/settings`,
  deleteProject: () => `/p/${project.key}/delete`,
  members: () => `/p/${project.key}/members`,
  removeMember: () => `/p/${project.key}/members/${otherId}/remove`,
  invitations: () => '/invitations',
  invite: () => '/invitations/new',
  profile: () => '/profile',
  missingTicket: () => `/p/${project.key}/t/9999`,
  missingPage: () => '/nothing/here',
};

/** Pages anyone may open without a session. */
const publicPaths = {
  signIn: () => '/login',
  passwordReset: () => '/password-reset',
  join: () => `/join/${inviteToken}/`,
};

/** Partials that swap a list or a piece of a page, not the modal. */
const pieces = {
  projectList: () => '/projects/list',
  rows: () => `/p/${project.key}/tickets?sort=updated`,
  boardColumn: () => `/p/${project.key}/board/OPEN`,
  invitationList: () => '/invitations/list',
  chip: () => '/profile/chip',
};

/** Modal partials and the pages they are opened from. */
const modals = [
  'ticket',
  'editTicket',
  'deleteTicket',
  'newTicket',
  'newProject',
  'settings',
  'deleteProject',
  'members',
  'removeMember',
] as const;
const modalHosts = ['dashboard', 'list', 'board', 'ticket', 'invitations'] as const;

async function page(path: string, withCookie = true): Promise<string> {
  const res = await send(path, withCookie ? { cookie } : {});
  expect([200, 404], `${path} answered ${res.status}`).toContain(res.status);
  return res.text();
}

async function partial(path: string): Promise<string> {
  const res = await send(path, { cookie, htmx: true });
  expect([200, 404], `${path} answered ${res.status}`).toContain(res.status);
  return res.text();
}

describe('the served markup', () => {
  it('of every full page has unique ids, labels that resolve and one h1', async () => {
    const all = [
      ...Object.entries(paths).map(([name, path]) => [name, path(), true] as const),
      ...Object.entries(publicPaths).map(([name, path]) => [name, path(), false] as const),
    ];
    for (const [name, path, signedIn] of all) {
      const markup = await readMarkup(await page(path, signedIn));
      expect(problems(markup), `${name} (${path})`).toEqual([]);
      expect(markup.h1, `h1 elements on ${name} (${path})`).toBe(1);
    }
  });

  it('of the modal container never names a title that is not there', async () => {
    const markup = await readMarkup(await page(paths.list()));
    expect(markup.refs.filter((r) => r.id === 'modal-title')).toEqual([]);
    expect(markup.ids).not.toContain('modal-title');
  });

  it('of every partial is sound alone, and every modal is sound inside each page that opens it', async () => {
    for (const [name, path] of Object.entries(pieces)) {
      const markup = await readMarkup(await partial(path()));
      expect(problems(markup), `${name} (${path()})`).toEqual([]);
      expect(markup.h1, `h1 in the partial ${name}`).toBe(0);
    }
    const hosts = await Promise.all(modalHosts.map((host) => page(paths[host]())));
    for (const name of modals) {
      const html = await partial(paths[name]());
      const alone = await readMarkup(html);
      expect(alone.ids, `${name} titles the modal`).toContain('modal-title');
      expect(alone.h1, `h1 in the modal ${name}`).toBe(0);
      for (const [i, host] of modalHosts.entries()) {
        // A ticket's own page opens its edit and delete forms, never the ticket itself again.
        if (name === 'ticket' && host === 'ticket') continue;
        // The modal's content lands inside the host's (empty) #dialog.
        const combined = hosts[i]!.replace('<div id="dialog"></div>', `<div id="dialog">${html}</div>`);
        expect(combined, `${host} has a #dialog`).not.toBe(hosts[i]);
        const markup = await readMarkup(combined);
        expect(problems(markup), `${name} opened over ${host}`).toEqual([]);
        expect(markup.h1, `h1 with ${name} open over ${host}`).toBe(1);
      }
    }
  });

  it('of a form answered with errors keeps its error and hint ids unique and resolvable', async () => {
    const res = await send(`/p/${project.key}/t`, {
      cookie,
      htmx: true,
      form: { title: '   ', description: '', status: 'OPEN', priority: 'MEDIUM', assignee: '' },
    });
    expect(res.status).toBe(422);
    const markup = await readMarkup(await res.text());
    expect(problems(markup)).toEqual([]);
    expect(markup.refs.map((r) => r.id)).toContain('title-error');
  });
});
