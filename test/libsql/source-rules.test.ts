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
