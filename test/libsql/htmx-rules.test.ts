/** The design's rule that HX-* headers are read and written only through src/web/htmx.ts. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSources } from './sources';

describe('HX headers', () => {
  it('are read and written only in src/web/htmx.ts', () => {
    const offenders = readSources()
      .filter(({ file }) => file !== join('src', 'web', 'htmx.ts'))
      .filter(({ text }) => /\bheaders?\s*\(\s*['"`]HX-|headers\.(?:get|set|append|has)\(\s*['"`]HX-/i.test(text))
      .map(({ file }) => file);
    expect(offenders).toEqual([]);
  });
});
