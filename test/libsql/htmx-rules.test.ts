/** The design's rules that HX-* headers, and the htmx-or-page answer, are written only in src/web/htmx.ts. */
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

describe('The htmx-or-redirect answer', () => {
  it('is written once (htmxOrRedirect), never as an isHtmx check in front of a redirect', () => {
    const offenders = readSources()
      .filter(({ file }) => file !== join('src', 'web', 'htmx.ts'))
      .filter(({ text }) => /isHtmx\([^)]*\)\)?\s*(?:return\s+)?c\.redirect\(/.test(text))
      .map(({ file }) => file);
    expect(offenders).toEqual([]);
  });
});
