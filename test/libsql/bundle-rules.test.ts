/** The import rules that keep the deployed Worker small, and a ceiling on its gzip size (docs/decisions.md). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readSources } from './sources';

const root = join(import.meta.dirname, '..', '..');

/**
 * The deployed bundle may not grow past this many bytes of gzip without someone deciding it. A Worker's size limit
 * (64 MiB) is far away; what the bundle costs is startup CPU, which `npm run bench` measures against its budget
 * (docs/decisions.md, "Startup"). This ceiling keeps the bundle from growing silently: raise it on purpose, lower it
 * when the bundle shrinks.
 */
const BUNDLE_CEILING = 157_000;

interface ImportRef {
  file: string;
  module: string;
  /** Erased by TypeScript: costs the bundle nothing. */
  typeOnly: boolean;
  names: string[];
}

/** Static imports and re-exports (`import ... from`, `export ... from`, `import '...'`) and dynamic `import('...')`. */
function importsOf(file: string, source: string): ImportRef[] {
  const refs: ImportRef[] = [];
  const statement = /^\s*(import|export)\s+(type\s+)?([\s\S]*?)\s*from\s*['"]([^'"]+)['"]/gm;
  for (const m of source.matchAll(statement)) {
    const clause = m[3] ?? '';
    const braces = /\{([\s\S]*)\}/.exec(clause);
    const names = braces
      ? braces[1]!
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
    const outside = clause
      .replace(/\{[\s\S]*\}/, '')
      .replace(/,/g, '')
      .trim();
    const allTypes = braces !== null && outside === '' && names.length > 0 && names.every((n) => n.startsWith('type '));
    refs.push({ file, module: m[4]!, typeOnly: Boolean(m[2]) || allTypes, names: names.map(stripType) });
  }
  for (const m of source.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) {
    refs.push({ file, module: m[1]!, typeOnly: false, names: [] });
  }
  for (const m of source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    refs.push({ file, module: m[1]!, typeOnly: false, names: [] });
  }
  return refs;
}

function stripType(name: string): string {
  return name
    .replace(/^type\s+/, '')
    .split(/\s+as\s+/)[0]!
    .trim();
}

const files = readSources().map(({ file, text }) => ({ file, source: text }));
const imports = files.flatMap(({ file, source }) => importsOf(file, source));

const where = (refs: ImportRef[]) => refs.map((r) => `${r.file}: '${r.module}'`);

describe('bundle rules', () => {
  it('finds the imports it checks, type-only ones included', () => {
    const refs = importsOf(
      'sample.ts',
      [
        "import * as z from 'zod';",
        "import { z as zod, type ZodType } from 'zod/v4';",
        "import type { Context } from 'hono';",
        "import { type Env, type Input } from 'hono';",
        "export { x } from './x';",
        "const lazy = await import('marked');",
      ].join('\n'),
    );
    expect(refs.map((r) => [r.module, r.typeOnly])).toEqual([
      ['zod', false],
      ['zod/v4', false],
      ['hono', true],
      ['hono', true],
      ['./x', false],
      ['marked', false],
    ]);
    expect(refs[1]!.names).toEqual(['z', 'ZodType']);
    expect(files.length).toBeGreaterThan(50);
    expect(imports.filter((r) => r.module === 'zod/mini').length).toBeGreaterThan(5);
  });

  it("validates with zod/mini only: classic zod ('zod', 'zod/v4', ...) keeps about 20 KB gzip more", () => {
    const classic = imports.filter(
      (r) => (r.module === 'zod' || r.module.startsWith('zod/')) && r.module !== 'zod/mini',
    );
    expect(where(classic)).toEqual([]);
  });

  it("does not use z.catch: zod/mini's catch keeps all of zod's util helpers", () => {
    const catches = files.filter(({ source }) => /\bz\.catch\s*\(/.test(source)).map(({ file }) => file);
    expect(catches).toEqual([]);
  });

  it('reaches libSQL through the HTTP client only (the web client also bundles WebSockets)', () => {
    const clients = imports.filter(
      (r) =>
        !r.typeOnly &&
        ((r.module.startsWith('@libsql/client') && r.module !== '@libsql/client/http') ||
          (r.module.startsWith('drizzle-orm/libsql') && r.module !== 'drizzle-orm/libsql/http')),
    );
    expect(where(clients)).toEqual([]);
  });

  it("takes the Hono class from hono/tiny, whose router is the smallest ('hono' brings three routers)", () => {
    const hono = imports.filter((r) => r.module === 'hono' && !r.typeOnly && r.names.includes('Hono'));
    expect(where(hono)).toEqual([]);
  });

  it(`builds a deployed Worker of at most ${BUNDLE_CEILING.toLocaleString('en')} bytes of gzip`, () => {
    const out = mkdtempSync(join(tmpdir(), 'hticket-bundle-'));
    try {
      execFileSync(
        process.execPath,
        [join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js'), 'deploy', '--dry-run', '--outdir', out],
        { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, stdio: 'pipe' },
      );
      const size = gzipSync(readFileSync(join(out, 'index.js'))).byteLength;
      expect(size).toBeLessThanOrEqual(BUNDLE_CEILING);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
