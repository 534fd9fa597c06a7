/**
 * @module lib/markdown — Markdown to safe HTML: raw HTML escaped, links limited to http/https/mailto, images shown as
 * their alt text, then an allow-list sanitizer (no DOM needed) over the whole output. `marked` sanitizes nothing by
 * itself, so the sanitizer is the last word on what reaches the page.
 */
import { Marked, type Tokens } from 'marked';

/** Longest Markdown sources accepted (characters): ticket descriptions and comments. */
export const DESCRIPTION_MAX = 50_000;
export const COMMENT_MAX = 20_000;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  colon: ':',
  tab: '\t',
  newline: '\n',
};

/** Enough entity decoding to see through `jav&#x61;script:`-style tricks before a URL's scheme is checked. */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (match, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : '';
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? match;
  });
}

/** Only absolute http(s) and mailto links survive; everything else (javascript:, data:, relative…) is refused. */
export function isSafeHref(href: string): boolean {
  // Browsers ignore control characters and whitespace inside a scheme, so the check does too.
  // eslint-disable-next-line no-control-regex
  const normalized = decodeEntities(href)
    .replace(/[\u0000-\u0020\u007f-\u009f]/g, '')
    .toLowerCase();
  return /^(https?:\/\/|mailto:)/.test(normalized);
}

/** `@[Name](id)` (notifications/mentions): an empty placeholder the page fills with the person's current name. */
const MENTION_TOKEN = /^@\[[^\]\n]{1,100}\]\(([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\)/i;

const marked = new Marked({
  extensions: [
    {
      name: 'mention',
      level: 'inline',
      start: (src: string) => src.match(/@\[/)?.index,
      tokenizer(src: string) {
        const m = MENTION_TOKEN.exec(src);
        return m ? { type: 'mention', raw: m[0], id: m[1]!.toLowerCase() } : undefined;
      },
      renderer: (token) => `<span class="mention" data-user="${escapeHtml(String(token['id']))}"></span>`,
    },
  ],
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    // Raw HTML in the source is shown as text, never interpreted.
    html({ text }: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(text);
    },
    link({ href, title, tokens }: Tokens.Link) {
      const inner = this.parser.parseInline(tokens);
      if (!isSafeHref(href)) return inner;
      const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
      return `<a href="${escapeHtml(href)}"${titleAttr}>${inner}</a>`;
    },
    // No images (tracking pixels, layout breakage): their alt text stands in.
    image({ text }: Tokens.Image) {
      return escapeHtml(text);
    },
    checkbox({ checked }: Tokens.Checkbox) {
      return checked ? '[x] ' : '[ ] ';
    },
  },
});

const ALLOWED_TAGS = new Set([
  'p',
  'br',
  'strong',
  'em',
  'del',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'a',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'span',
]);
const VOID_TAGS = new Set(['br', 'hr']);

/** Allowed attributes per tag, each with the check its value must pass. */
const ALLOWED_ATTRS: Record<string, Record<string, (value: string) => boolean>> = {
  a: { href: isSafeHref, title: () => true },
  ol: { start: (v) => /^\d{1,9}$/.test(v) },
  code: { class: (v) => /^language-[\w+-]{1,40}$/.test(v) },
  th: { align: (v) => /^(left|right|center)$/.test(v) },
  td: { align: (v) => /^(left|right|center)$/.test(v) },
  span: { class: (v) => v === 'mention', 'data-user': (v) => /^[0-9a-f-]{36}$/.test(v) },
};

const TAG_RE =
  /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/g;
const ATTR_RE = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/**
 * Keeps allowed tags with allowed attributes (rebuilt, re-escaped) and escapes everything else, so any markup the
 * renderer let through by mistake becomes visible text. Stray `<` and `>` outside tags are escaped too.
 */
export function sanitizeHtml(html: string): string {
  let out = '';
  let last = 0;
  for (const match of html.matchAll(TAG_RE)) {
    out += escapeStray(html.slice(last, match.index));
    last = match.index + match[0].length;
    const [whole, closing, rawName, attrs] = match as unknown as [string, string, string, string];
    const name = rawName.toLowerCase();
    if (!ALLOWED_TAGS.has(name)) {
      out += escapeHtml(whole);
      continue;
    }
    if (closing) {
      out += VOID_TAGS.has(name) ? '' : `</${name}>`;
      continue;
    }
    out += `<${name}${keepAttributes(name, attrs)}>`;
  }
  return out + escapeStray(html.slice(last));
}

function keepAttributes(tag: string, attrs: string): string {
  const allowed = ALLOWED_ATTRS[tag];
  let kept = '';
  if (allowed) {
    for (const m of attrs.matchAll(ATTR_RE)) {
      const name = m[1]!.toLowerCase();
      const check = allowed[name];
      const value = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
      if (check && check(value)) kept += ` ${name}="${escapeHtml(value)}"`;
    }
  }
  if (tag === 'a' && kept.includes(' href=')) kept += ' rel="nofollow noopener noreferrer"';
  return kept;
}

/** Text between tags is already escaped by the renderer; this catches a bare `<` or `>` that is not part of a tag. */
function escapeStray(text: string): string {
  return text.replace(/[<>]/g, (ch) => ESCAPES[ch]!);
}

/** Markdown source to sanitized HTML (without the wrapper). Over-long input is cut, never rendered whole. */
export function markdownToHtml(source: string, max = DESCRIPTION_MAX): string {
  const text = source.length > max ? source.slice(0, max) : source;
  return sanitizeHtml(marked.parse(text) as string);
}

/**
 * The version of the pipeline above (renderer and sanitizer). Stored HTML remembers the version that made it; raise
 * this whenever a change here would change the output, and rows made by an older version are rendered again (on
 * read until the housekeeping job has stored the new HTML).
 */
export const MARKDOWN_VERSION = 2;

/**
 * The source's HTML as stored (`html`, made by renderer `version`) when that is this version's, else rendered now:
 * the output is always the current pipeline's. Rows written before HTML was stored have no HTML and version 0.
 */
export function currentHtml(source: string, html: string | null, version: number, max = DESCRIPTION_MAX): string {
  return html !== null && version === MARKDOWN_VERSION ? html : markdownToHtml(source, max);
}

/** Sanitized HTML as put on a page: wrapped in `hx-ignore` so htmx never processes user content. */
export function wrapMarkdown(html: string): string {
  return `<div class="markdown" hx-ignore>${html}</div>`;
}

/** Markdown source straight to the page (previews, previous texts): sanitized and wrapped. */
export function renderMarkdown(source: string, max = DESCRIPTION_MAX): string {
  return wrapMarkdown(markdownToHtml(source, max));
}
