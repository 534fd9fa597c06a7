import { describe, expect, it } from 'vitest';
import { makeProject } from '../fixtures';
import { roundTrips, send, signedIn } from '../helpers';
import { addTickets } from './fixtures';

/** The dashboard's own list (cards), without the managers' all-projects table. */
function cardsOf(html: string): string {
  return html.split('id="all-projects-title"')[0]!;
}

describe('dashboard', () => {
  it('shows a member only the projects they belong to, in one database round trip', async () => {
    const { user, cookie } = await signedIn();
    const mine = await makeProject({ name: 'Nebula', description: 'Our rocket' }, [user]);
    const other = await makeProject({ name: 'Secret Plans' });
    const res = await send('/', { cookie });
    expect(res.status).toBe(200);
    expect(roundTrips(res)).toBe(1);
    const html = await res.text();
    expect(html).toContain('Nebula');
    expect(html).toContain('Our rocket');
    expect(html).toContain(`href="/p/${mine.key}"`);
    expect(html).toContain(`href="/p/${mine.key}/board"`);
    expect(html).not.toContain(other.key);
    expect(html).not.toContain('Secret Plans');
    expect(html).not.toContain('All projects');
    expect(html).not.toContain('New project');
  });

  it('shows a manager their projects and an all-projects list with archived ones marked', async () => {
    const { user, cookie } = await signedIn({ role: 'MANAGER' });
    const mine = await makeProject({ name: 'Managed One' }, [user]);
    const elsewhere = await makeProject({ name: 'Not Mine' });
    const old = await makeProject({ name: 'Old Stuff', archivedAt: Date.now() });
    const res = await send('/', { cookie });
    expect(roundTrips(res)).toBe(1);
    const html = await res.text();
    expect(cardsOf(html)).toContain(`id="project-${mine.key}"`);
    expect(cardsOf(html)).not.toContain(`id="project-${elsewhere.key}"`);
    expect(html).toContain('All projects');
    expect(html).toContain(`id="all-project-${elsewhere.key}"`);
    const oldRow = html.split(`id="all-project-${old.key}"`)[1]!.split('</tr>')[0]!;
    expect(oldRow).toContain('Archived');
    expect(html).toContain('hx-get="/projects/new" hx-target="#dialog"');
  });

  it('shows the ticket counts per status from the project row', async () => {
    const { user, cookie } = await signedIn();
    const project = await makeProject({ name: 'Counted' }, [user]);
    await addTickets(project, ['OPEN', 'OPEN', 'OPEN', 'IN_PROGRESS', 'REVIEW', 'REVIEW', 'DONE'], user);
    const html = await (await send('/', { cookie })).text();
    const card = html.split(`id="project-${project.key}"`)[1]!.split('</article>')[0]!;
    expect(card).toMatch(/<dt>Open<\/dt><dd>3<\/dd>/);
    expect(card).toMatch(/<dt>In progress<\/dt><dd>1<\/dd>/);
    expect(card).toMatch(/<dt>Review<\/dt><dd>2<\/dd>/);
    expect(card).toMatch(/<dt>Done<\/dt><dd>1<\/dd>/);
  });

  it('puts a member’s archived projects aside but keeps them reachable', async () => {
    const { user, cookie } = await signedIn();
    const live = await makeProject({ name: 'Live' }, [user]);
    const archived = await makeProject({ name: 'Shelved', archivedAt: Date.now() }, [user]);
    const html = await (await send('/', { cookie })).text();
    expect(html).toContain(`id="project-${live.key}"`);
    expect(html).not.toContain(`id="project-${archived.key}"`);
    expect(html).toContain('Archived projects (1)');
    expect(html).toContain(`href="/p/${archived.key}"`);
  });

  it('tells a member without projects to ask a manager', async () => {
    const { cookie } = await signedIn();
    const html = await (await send('/', { cookie })).text();
    expect(html).toContain('You are not in any project yet. Ask a manager to add you.');
  });

  it('escapes a project name with markup', async () => {
    const { user, cookie } = await signedIn();
    await makeProject({ name: '<script>alert(1)</script>', description: '<img src=x onerror=alert(2)>' }, [user]);
    const html = await (await send('/', { cookie })).text();
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<img src=x');
  });

  it('serves the list partial alone, self-refreshing, in one database round trip', async () => {
    const { user, cookie } = await signedIn();
    const project = await makeProject({ name: 'Partial' }, [user]);
    const res = await send('/projects/list', { cookie, htmx: true });
    expect(res.status).toBe(200);
    expect(roundTrips(res)).toBe(1);
    const html = await res.text();
    expect(html).not.toContain('<html');
    expect(html).toMatch(/^<div id="project-list" hx-get="\/projects\/list" hx-trigger="projectListUpdated from:body"/);
    expect(html).toContain(`id="project-${project.key}"`);
  });

  it('shows the list partial as a full page when opened directly', async () => {
    const { cookie } = await signedIn();
    const html = await (await send('/projects/list', { cookie })).text();
    expect(html).toContain('<html');
    expect(html).toContain('id="project-list"');
  });

  it('tells a manager who is in no project where the projects are', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const other = await makeProject({ name: 'Elsewhere' });
    const html = await (await send('/', { cookie })).text();
    expect(html).toContain('You are not a member of any project.');
    expect(html).toContain(`id="all-project-${other.key}"`);
  });
});
