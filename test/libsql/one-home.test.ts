/** Rules and constants have one home in src/: these checks fail when a second copy appears. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSources } from './sources';

const sources = readSources();

function filesMatching(re: RegExp, among = sources) {
  return among.filter(({ text }) => re.test(text)).map(({ file }) => file);
}

describe('one home per rule', () => {
  it('exports each constant name from one module only (a limit cannot mean two things)', () => {
    const homes = new Map<string, string[]>();
    for (const { file, text } of sources) {
      for (const m of text.matchAll(/^export const ([A-Z][A-Z0-9_]+)\b/gm)) {
        homes.set(m[1]!, [...(homes.get(m[1]!) ?? []), file]);
      }
    }
    expect([...homes].filter(([, files]) => files.length > 1)).toEqual([]);
  });

  it("spells the manager role 'MANAGER' only in the schema", () => {
    expect(filesMatching(/'MANAGER'/)).toEqual([join('src', 'db', 'schema.ts')]);
  });

  it('builds /p/<key> URLs only in src/web/paths.ts', () => {
    expect(filesMatching(/\/p\/\$\{/)).toEqual([join('src', 'web', 'paths.ts')]);
  });

  it('names htmx events only through src/web/events.ts', () => {
    expect(filesMatching(/hx-trigger="\w+ from:body"/)).toEqual([]);
  });

  it('names statuses and priorities for people only in src/views/labels.ts (pages and emails agree)', () => {
    expect(
      filesMatching(/\b(IN_PROGRESS|CRITICAL):\s*'[A-Z]|'In (progress|review)'|>\s*In (progress|review)\s*</),
    ).toEqual([join('src', 'views', 'labels.ts')]);
  });

  it('sends statements only through the plan runner (every operation is a plan)', () => {
    const outsideDb = sources.filter(({ file }) => !file.startsWith(join('src', 'db')));
    expect(filesMatching(/\.batch\(/, outsideDb)).toEqual([]);
  });

  it('checks the session in one module', () => {
    expect(filesMatching(/validateSessionToken\(/)).toEqual([
      join('src', 'auth', 'authenticate.ts'),
      join('src', 'auth', 'sessions.ts'),
    ]);
  });
});
