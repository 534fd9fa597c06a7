/** The design's rule that HX-* headers are read and written only through src/web/htmx.ts. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe('HX headers', () => {
  it('are read and written only in src/web/htmx.ts', () => {
    const offenders = sourceFiles(join(root, 'src'))
      .map((file) => relative(root, file))
      .filter((file) => file !== join('src', 'web', 'htmx.ts'))
      .filter((file) =>
        /\bheaders?\s*\(\s*['"`]HX-|headers\.(?:get|set|append|has)\(\s*['"`]HX-/i.test(
          readFileSync(join(root, file), 'utf8'),
        ),
      );
    expect(offenders).toEqual([]);
  });
});
