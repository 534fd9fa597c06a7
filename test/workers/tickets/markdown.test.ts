import { describe, expect, it } from 'vitest';
import { markdownToHtml, renderMarkdown } from '../../../src/lib/markdown';
import { makeProject, member } from '../fixtures';
import { roundTrips, send } from '../helpers';
import { fileTicket } from './fixtures';

const ATTACKS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '[x](javascript:alert(1))',
  '[x](JaVaScRiPt:alert(1))',
  '[x](jav&#x61;script:alert(1))',
  '[x](java\tscript:alert(1))',
  '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '<a href="javascript:alert(1)">click</a>',
  '<svg onload=alert(1)>',
  '<iframe src="https://evil.example"></iframe>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '&#60;script&#62;alert(1)&#60;/script&#62;',
  '![x" onerror="alert(1)](https://example.com/a.png)',
  '[x](https://example.com "a\\" onmouseover=\\"alert(1)")',
  '<details open ontoggle=alert(1)>',
  '`<script>`\n\n```\n<script>alert(1)</script>\n```',
];

/** Every attribute name of every tag; quoted values are skipped whole (our output escapes `>` inside them). */
function attributeNames(html: string): string[] {
  const names: string[] = [];
  for (const tag of html.matchAll(/<[a-zA-Z][a-zA-Z0-9]*([^>]*)>/g)) {
    for (const attr of tag[1]!.matchAll(/\s([^\s=>"'\/]+)(?:=(?:"[^"]*"|'[^']*'|[^\s>]*))?/g)) {
      names.push(attr[1]!.toLowerCase());
    }
  }
  return names;
}

/** True when the HTML holds a live element, an event handler attribute or a link that is not http(s)/mailto. */
function dangerous(html: string): boolean {
  return (
    /<(script|img|svg|iframe|details|object|embed|style|input|form)\b/i.test(html) ||
    attributeNames(html).some((name) => name.startsWith('on')) ||
    /href="(?!https?:|mailto:)/i.test(html)
  );
}

describe('Markdown pipeline', () => {
  it.each(ATTACKS)('neutralises %s', (source) => {
    const html = markdownToHtml(source);
    expect(dangerous(html)).toBe(false);
  });

  it('has a detector that does see a live handler', () => {
    expect(dangerous('<p onclick=alert(1)>x</p>')).toBe(true);
    expect(dangerous('<a href="javascript:x">x</a>')).toBe(true);
    expect(dangerous('<p title="a onclick=b">x</p>')).toBe(false);
  });

  it('keeps ordinary Markdown and marks links', () => {
    const html = markdownToHtml('**b** _i_ `c`\n\n- one\n\n[site](https://example.com) <mailto:a@example.com>');
    expect(html).toContain('<strong>b</strong>');
    expect(html).toContain('<em>i</em>');
    expect(html).toContain('<code>c</code>');
    expect(html).toContain('<li>one</li>');
    expect(html).toContain('<a href="https://example.com" rel="nofollow noopener noreferrer">site</a>');
    expect(html).toContain('href="mailto:a@example.com"');
  });

  it('shows images as their alt text and unsafe links as their text', () => {
    expect(markdownToHtml('![a cat](https://example.com/cat.png)')).toBe('<p>a cat</p>\n');
    expect(markdownToHtml('[click me](javascript:alert(1))')).toBe('<p>click me</p>\n');
  });

  it('wraps the output in hx-ignore and cuts over-long input', () => {
    expect(renderMarkdown('hi')).toBe('<div class="markdown" hx-ignore><p>hi</p>\n</div>');
    expect(markdownToHtml('z'.repeat(60_000)).length).toBeLessThan(50_100);
  });
});

describe('XSS through the ticket pages', () => {
  it('escapes titles and sanitizes descriptions and comments everywhere they show', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    const title = '<svg onload=alert(1)><script>alert(2)</script>';
    await fileTicket(project, cookie, { title, description: ATTACKS.join('\n\n') });
    for (const body of ATTACKS) {
      const res = await send(`/p/${project.key}/t/1/comments`, { cookie, htmx: true, form: { body } });
      expect(res.status).toBe(200);
    }
    const pages = [
      await send(`/p/${project.key}`, { cookie }),
      await send(`/p/${project.key}/tickets`, { cookie, htmx: true }),
      await send(`/p/${project.key}/board`, { cookie }),
      await send(`/p/${project.key}/t/1`, { cookie, htmx: true }),
      await send(`/p/${project.key}/t/1`, { cookie }),
      await send(`/p/${project.key}/t/1/edit`, { cookie, htmx: true }),
    ];
    for (const res of pages) {
      const html = await res.text();
      expect(html).not.toContain('<svg');
      expect(html).not.toContain('<script>alert');
      expect(html).not.toMatch(/<img\b/i);
      expect(html).not.toMatch(/href="javascript:/i);
      expect(attributeNames(html).filter((name) => name.startsWith('on'))).toEqual([]);
    }
    const view = await (await send(`/p/${project.key}/t/1`, { cookie, htmx: true })).text();
    expect(view).toContain('&lt;svg onload=alert(1)&gt;');
    expect(view.match(/<div class="markdown" hx-ignore>/g)!.length).toBe(ATTACKS.length + 1);
  });

  it('previews Markdown through the same pipeline, for members only', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    const res = await send(`/p/${project.key}/preview`, {
      cookie,
      htmx: true,
      form: { description: '**bold** <script>alert(1)</script>' },
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<div class="markdown" hx-ignore><p><strong>bold</strong> &lt;script&gt;');
    const tooLong = await send(`/p/${project.key}/preview`, { cookie, htmx: true, form: { text: 'x'.repeat(50_001) } });
    expect(tooLong.status).toBe(422);
  });

  it("previews a mention by the member's current name, and a non-member as a former member, in one round trip", async () => {
    const project = await makeProject();
    const { cookie } = await member(project, { name: 'Mona' });
    const { user: ada } = await member(project, { name: 'Ada Lovelace' });
    const stranger = crypto.randomUUID();
    const res = await send(`/p/${project.key}/preview`, {
      cookie,
      htmx: true,
      form: { body: `ask @[Ada](${ada.id}) and @[Zed](${stranger})` },
    });
    expect(res.status).toBe(200);
    expect(roundTrips(res)).toBe(1);
    const html = await res.text();
    expect(html).toContain(`<span class="mention" data-user="${ada.id}">@Ada Lovelace</span>`);
    expect(html).toContain(`<span class="mention" data-user="${stranger}">@former member</span>`);
  });
});
