/**
 * @module notifications/mentions — how a mention is kept in Markdown source: `@[Name](user-id)`. The id is what
 * counts (who is told, who may be mentioned); the name is only there so the source reads well while it is edited.
 * Rendering turns each token into an empty `<span class="mention" data-user="id">` (lib/markdown), and
 * `fillMentions` writes the person's current name into it when the page is read. `@Ada` without the token is text.
 */

/** A mention token; the first group is the name written at the time, the second the person's id. */
export const MENTION_RE = /@\[([^\]\n]{1,100})\]\(([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\)/gi;

/** The distinct ids mentioned in `source` (lower-case), in order of first mention; at most 50. */
export function extractMentions(source: string): string[] {
  const ids = new Set<string>();
  for (const m of source.matchAll(MENTION_RE)) {
    ids.add(m[2]!.toLowerCase());
    if (ids.size >= 50) break;
  }
  return [...ids];
}

const PLACEHOLDER_RE = /<span class="mention" data-user="([0-9a-f-]{36})"><\/span>/g;

/**
 * Writes each mentioned person's current name into the placeholders of rendered HTML; someone no longer in `names`
 * (left the project, or unknown) shows as "@former member". Runs on sanitized HTML, so it escapes the names itself.
 */
export function fillMentions(html: string, names: ReadonlyMap<string, string>): string {
  return html.replace(PLACEHOLDER_RE, (_whole, id: string) => {
    const name = names.get(id);
    const text = name === undefined ? '@former member' : `@${escapeText(name)}`;
    return `<span class="mention" data-user="${id}">${text}</span>`;
  });
}

function escapeText(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
