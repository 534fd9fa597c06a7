/** Rules on the source itself: no module imports itself through others (types included), no raw table names in SQL. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const src = join(root, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The source files a file imports or re-exports from, relative specifiers only (packages are not ours). */
function localImports(file: string, files: Set<string>): string[] {
  const source = readFileSync(file, 'utf8');
  const specifiers = [...source.matchAll(/^\s*(?:import|export)\s[\s\S]*?\sfrom\s*['"](\.[^'"]*)['"]/gm)].map(
    (m) => m[1]!,
  );
  return specifiers.map((specifier) => {
    const base = resolve(dirname(file), specifier);
    const found = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')].find((f) =>
      files.has(f),
    );
    if (!found) throw new Error(`${relative(root, file)} imports ${specifier}, which is not a source file`);
    return found;
  });
}

/**
 * Where a source file may import from (paths relative to src/). The shared layers serve every feature; the mail
 * queue's contract (the message types and the producer) and the scheduled job's type are how features send emails
 * and offer jobs; the live room's announce / revoke, its messages and its Durable Object class are how features tell
 * open pages about a committed write. The notification rule (notifications/) is how every write tells people. The
 * entry points wire everything together. The crossings between features: tickets read the project lookups, the live
 * upgrade route reads the project and ticket lookups, and the inbox pages with the ticket list's cursor and SQL pieces.
 */
const SHARED = [
  /^(db|auth|web|views|lib|middleware)\//,
  /^env\.ts$/,
  /^mail\/(messages|producer)\.ts$/,
  /^scheduled\/job\.ts$/,
  /^live\/(index|messages|project-room)\.ts$/,
  /^notifications\//,
];
const ENTRY_POINTS = ['index.ts', 'app.ts', 'scheduled/index.ts'];
const FEATURE_CROSSINGS: [from: string, to: RegExp][] = [
  ['tickets', /^projects\/queries\.ts$/],
  ['live', /^(projects|tickets)\/queries\.ts$/],
  ['inbox', /^tickets\/(cursor|sql)\.ts$/],
];

function importAllowed(from: string, to: string): boolean {
  const shared = (path: string) => SHARED.some((re) => re.test(path));
  if (ENTRY_POINTS.includes(from) || shared(to)) return true;
  if (shared(from)) return false;
  const feature = from.split('/')[0]!;
  return to.split('/')[0] === feature || FEATURE_CROSSINGS.some(([f, re]) => f === feature && re.test(to));
}

/** Every cycle's files, each cycle reported once, starting from the file first reached. */
function importCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles;
}

describe('imports', () => {
  it('form no cycle among the source files', () => {
    const files = new Set(sourceFiles(src));
    const graph = new Map([...files].map((file) => [file, localImports(file, files)]));
    expect(graph.size).toBeGreaterThan(40);
    const cycles = importCycles(graph).map((cycle) => cycle.map((f) => relative(src, f)).join(' → '));
    expect(cycles).toEqual([]);
  });

  it('keep features apart: each imports the shared layers and its own files, never another feature', () => {
    const files = new Set(sourceFiles(src));
    const crossings = [...files].flatMap((file) =>
      localImports(file, files)
        .filter((target) => !importAllowed(relative(src, file), relative(src, target)))
        .map((target) => `${relative(src, file)} → ${relative(src, target)}`),
    );
    expect(crossings).toEqual([]);
  });

  it('refuses a feature reaching into another one, or a shared layer reaching into a feature', () => {
    expect(importAllowed('mail/kinds/invitation.ts', 'invitations/queries.ts')).toBe(false);
    expect(importAllowed('mail/requests.ts', 'accounts/service.ts')).toBe(false);
    expect(importAllowed('projects/routes.tsx', 'tickets/queries.ts')).toBe(false);
    expect(importAllowed('auth/permissions.ts', 'projects/queries.ts')).toBe(false);
    expect(importAllowed('tickets/queries.ts', 'projects/queries.ts')).toBe(true);
    expect(importAllowed('mail/kinds/invitation.ts', 'auth/invitations.ts')).toBe(true);
    expect(importAllowed('tickets/views/board.tsx', 'tickets/queries.ts')).toBe(true);
    expect(importAllowed('app.ts', 'tickets/routes.tsx')).toBe(true);
  });

  it('reports each cycle with the files on it', () => {
    const graph = new Map([
      ['transport', ['http', 'log']],
      ['http', ['transport']],
      ['log', []],
    ]);
    expect(importCycles(graph)).toEqual([['transport', 'http', 'transport']]);
  });
});

/** The literal text of every sql`…` template in a source, with its `${…}` parts taken out. */
function sqlTemplateTexts(source: string): string[] {
  const texts: string[] = [];
  for (let at = source.indexOf('sql`'); at !== -1; at = source.indexOf('sql`', at + 1)) {
    let text = '';
    let i = at + 4;
    while (i < source.length && source[i] !== '`') {
      if (source[i] === '$' && source[i + 1] === '{') {
        let depth = 1;
        i += 2;
        while (depth > 0 && i < source.length) {
          if (source[i] === '{') depth++;
          else if (source[i] === '}') depth--;
          i++;
        }
        text += ' ';
      } else text += source[i++];
    }
    texts.push(text);
  }
  return texts;
}

describe('SQL templates', () => {
  it('name tables through the schema objects, never as raw text', async () => {
    const { getTableName, is, Table } = await import('drizzle-orm');
    const schema = await import('../../src/db/schema');
    const tables = Object.values(schema)
      .filter((value) => is(value, Table))
      .map((table) => getTableName(table as InstanceType<typeof Table>));
    expect(tables).toContain('mail_deliveries');
    const raw = sourceFiles(src).flatMap((file) =>
      sqlTemplateTexts(readFileSync(file, 'utf8'))
        .filter((text) => tables.some((name) => new RegExp(`\\b${name}\\b`).test(text)))
        .map((text) => `${relative(src, file)}: ${text.trim()}`),
    );
    expect(raw).toEqual([]);
  });

  it('are read without their interpolations', () => {
    expect(sqlTemplateTexts('sql`select 1 from ${t} as later where ${and(a, { b: 1 })}`')).toEqual([
      'select 1 from   as later where  ',
    ]);
  });
});

/**
 * Where the same six lines appear twice (lines trimmed; blank lines, imports, comments and lone brackets left out).
 * A window counts only when at least three of its lines say something (16+ characters), so the bare shape of a plan
 * (`plan(`, `(db) =>`, `[`, `db`) is boilerplate. The two database schemas are twins on purpose, kept in step by
 * the schema drift test.
 */
function repeatedWindows(files: Map<string, string>, size = 6): string[] {
  const seen = new Map<string, string>();
  const repeats: string[] = [];
  for (const [name, source] of files) {
    const lines = source
      .split('\n')
      .map((text, i) => ({ text: text.trim().replace(/\s+/g, ' '), at: i + 1 }))
      .filter(({ text }) => text && !/^(import\b|\/\/|\/\*|\*|[)}\]>;,]*$|<\/?\w*>$)/.test(text));
    let lastAt = -size;
    for (let i = 0; i + size <= lines.length; i++) {
      const window = lines.slice(i, i + size);
      if (window.filter(({ text }) => text.length >= 16).length < 3) continue;
      const key = window.map(({ text }) => text).join('\n');
      const here = `${name}:${window[0]!.at}`;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, here);
      else if (i - lastAt >= size) {
        repeats.push(`${first} and ${here}: ${window[0]!.text}`);
        lastAt = i;
      }
    }
  }
  return repeats;
}

describe('repeated code', () => {
  it('finds no six lines written twice in src/ or the browser files', () => {
    const files = new Map<string, string>();
    for (const file of sourceFiles(src).filter((f) => !/db\/(pg-)?schema\.ts$/.test(f))) {
      files.set(relative(root, file), readFileSync(file, 'utf8'));
    }
    for (const file of ['client/app.js', 'client/app.css']) files.set(file, readFileSync(join(root, file), 'utf8'));
    expect(files.size).toBeGreaterThan(40);
    expect(repeatedWindows(files)).toEqual([]);
  });

  it('reports a repeated window once, wherever its copy is, and leaves the bare shape of a plan alone', () => {
    const block = [
      'const total = first + second;',
      'const label = `${total} items`;',
      'const shown = render(label, total);',
      'log("rendered the totals");',
      'cleanUp(everything, now);',
      'return shown ?? nothingToShow;',
    ];
    const shape = ['return plan(', '(db) =>', '[', 'db', '.select({', 'id: t.id,'];
    const a = ['function a() {', ...block, '}', ...shape].join('\n');
    const b = ['function b() {', ...block, '}', ...shape].join('\n');
    expect(
      repeatedWindows(
        new Map([
          ['a.ts', a],
          ['b.ts', b],
        ]),
      ),
    ).toEqual(['a.ts:2 and b.ts:2: const total = first + second;']);
  });
});
