/**
 * @module mail/blocks — an email is a subject and a few blocks, rendered once as plain text and once as escaped HTML
 * (hono/jsx), so the two bodies never drift apart. What each kind of email says is in ./kinds.
 */
import { raw } from 'hono/html';

export type Block =
  | { kind: 'p'; text: string }
  | { kind: 'link'; label: string; url: string }
  | { kind: 'quote'; text: string }
  | { kind: 'note'; text: string };

export interface Composition {
  subject: string;
  blocks: Block[];
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export const p = (text: string): Block => ({ kind: 'p', text });
export const link = (label: string, url: string): Block => ({ kind: 'link', label, url });
export const note = (text: string): Block => ({ kind: 'note', text });
export const quote = (text: string): Block => ({ kind: 'quote', text });

export async function renderEmail(composition: Composition): Promise<RenderedEmail> {
  const subject = oneLine(composition.subject, 200);
  return { subject, text: toText(composition.blocks), html: await toHtml(subject, composition.blocks) };
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });

/** Recipients' time zones are unknown, so dates say UTC. */
export function formatDate(ms: number): string {
  return `${dateFormat.format(new Date(ms))} UTC`;
}

/** Subjects are one line: user content (titles, names) may carry newlines. */
export function oneLine(text: string, max: number): string {
  return clip(text.replace(/\s+/g, ' ').trim(), max);
}

/** A comment's Markdown as a short plain-text excerpt: markup dropped, whitespace folded. */
export function plainExcerpt(markdown: string, max = 400): string {
  const text = markdown
    .replace(/```[^\n]*\n?/g, '')
    .replace(/<[^>]*>/g, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+/gm, '')
    .replace(/(\*\*|__|~~|`)/g, '');
  return oneLine(text, max);
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

export function toText(blocks: Block[]): string {
  const parts = blocks.map((block) => {
    switch (block.kind) {
      case 'p':
      case 'note':
        return block.text;
      case 'link':
        return `${block.label}:\n${block.url}`;
      case 'quote':
        return block.text
          .split('\n')
          .map((line) => `> ${line}`)
          .join('\n');
    }
  });
  return `${parts.join('\n\n')}\n\n-- \nhticket\n`;
}

const styles = {
  body: 'margin:0;padding:24px;background:#f6f7f9;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1f2933;',
  card: 'max-width:560px;margin:0 auto;padding:24px;background:#ffffff;border-radius:8px;',
  p: 'margin:0 0 16px;line-height:1.5;',
  note: 'margin:0 0 12px;line-height:1.4;font-size:13px;color:#616e7c;',
  quote: 'margin:0 0 16px;padding:8px 12px;border-left:3px solid #cbd2d9;color:#3e4c59;white-space:pre-wrap;',
  button:
    'display:inline-block;padding:10px 18px;background:#1d6bd3;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:600;',
  url: 'margin:8px 0 0;font-size:12px;color:#616e7c;word-break:break-all;',
};

function BlockHtml({ block }: { block: Block }) {
  switch (block.kind) {
    case 'p':
      return <p style={styles.p}>{block.text}</p>;
    case 'note':
      return <p style={styles.note}>{block.text}</p>;
    case 'quote':
      return <blockquote style={styles.quote}>{block.text}</blockquote>;
    case 'link':
      return (
        <div style="margin:0 0 20px;">
          <a href={block.url} style={styles.button}>
            {block.label}
          </a>
          <p style={styles.url}>
            <a href={block.url}>{block.url}</a>
          </p>
        </div>
      );
  }
}

async function toHtml(title: string, blocks: Block[]): Promise<string> {
  const doc = (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{title}</title>
        </head>
        <body style={styles.body}>
          <div style={styles.card}>
            {blocks.map((block) => (
              <BlockHtml block={block} />
            ))}
          </div>
        </body>
      </html>
    </>
  );
  return String(await doc.toString());
}
