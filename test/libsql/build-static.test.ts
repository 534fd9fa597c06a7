/**
 * The browser files: static/app.css is Pico without the rules no page can match, then app.css; static/app.js is htmx,
 * then app.js. The pruning keeps whatever the markup's sources could use.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript build script, without type declarations
import { buildStatic } from '../../scripts/build-static.mjs';
// @ts-expect-error: a plain JavaScript build script, without type declarations
import { markupWords, pruneCss, selectorUsed } from '../../scripts/prune-css.mjs';
import { root } from './sources';

const markup = [
  `<nav class="brand"><ul><li><a href="/" class="secondary">Home</a></li></ul></nav>`,
  `<input type="search" name="q" /><input type="checkbox" role="switch" />`,
  `<input aria-invalid={error ? 'true' : undefined} />`,
  `button.setAttribute('role', 'img');`,
];

describe('pruning a stylesheet', () => {
  const words = markupWords(markup);
  const used = (selector: string) => selectorUsed(selector, words);

  it('keeps a selector whose classes, elements and attributes the markup writes', () => {
    expect(used('nav ul li a.secondary')).toBe(true);
    expect(used('input[type=search]')).toBe(true);
    expect(used('[type=checkbox][role=switch]:checked')).toBe(true);
    expect(used('[aria-invalid=true]')).toBe(true);
    expect(used('[role=img]')).toBe(true);
    expect(used('html body *::before')).toBe(true);
  });

  it('drops a selector naming a class, an element or an attribute value that nothing writes', () => {
    expect(used('a.contrast')).toBe(false);
    expect(used('figure figcaption')).toBe(false);
    expect(used('[type=range]')).toBe(false);
    // aria-invalid is written, but only as "true".
    expect(used('[aria-invalid=false]')).toBe(false);
    expect(used('[data-tooltip]')).toBe(false);
    expect(used(':host(:not([data-theme=dark]))')).toBe(false);
  });

  it('asks nothing inside :not() and one selector of an :is(), :where() or :has() list', () => {
    expect(used('input:not([type=range], .contrast)')).toBe(true);
    expect(used(':where(figure, nav) ul')).toBe(true);
    expect(used(':is(figure, progress)')).toBe(false);
    expect(used('nav:has(.contrast)')).toBe(false);
  });

  it('opens an attribute to any quoted word when a value is given by an expression', () => {
    const open = markupWords([`el.setAttribute('aria-current', current);`, `const page = 'page';`]);
    expect(selectorUsed('[aria-current=page]', open)).toBe(true);
    expect(selectorUsed('[aria-current=step]', open)).toBe(false);
    // A key of that name with a computed value (types included) opens it too.
    const keyed = markupWords([`const chip = { role: user.role };`, `const label = 'manager';`]);
    expect(selectorUsed('[role=manager]', keyed)).toBe(true);
    expect(selectorUsed('[role=manager]', markupWords([`<i role="img" />`, `const label = 'manager';`]))).toBe(false);
  });

  it('leaves out the unusable choices of :where(), and of :is() only when the cascade stays the same', () => {
    const pruned = pruneCss(
      [
        ':where(figure, nav) a { color: red; }',
        'input:is([type=search], [type=range]) { margin: 0; }',
        // Without .contrast the :is() would weigh less: it stays as written.
        'input:is(nav, .contrast) { margin: 0; }',
      ].join('\n'),
      words,
    );
    expect(pruned).toContain(':where(nav) a');
    expect(pruned).toContain('input:is([type=search])');
    expect(pruned).toContain('input:is(nav, .contrast)');
  });

  it('rounds the ten decimals Sass computes to two', () => {
    expect(pruneCss('a { color: rgb(90.5882352941%, 1.25%, 0.0625rem); }', words)).toContain(
      'rgb(90.59%, 1.25%, 0.0625rem)',
    );
  });

  it('removes the custom properties only removed rules read, and the blocks left empty', () => {
    const css = [
      ':root { --kept: red; --gone: blue; --chained: var(--gone-too); --gone-too: 1px; --read-elsewhere: 0; }',
      'a { color: var(--kept); }',
      'figure { color: var(--gone); border-width: var(--chained); }',
      '@media (min-width: 40rem) { figure { margin: 0; } }',
    ].join('\n');
    const pruned = pruneCss(css, words, ['b { margin: var(--read-elsewhere); }']);
    expect(pruned).toContain('--kept: red');
    expect(pruned).toContain('--read-elsewhere: 0');
    expect(pruned).not.toMatch(/--gone|--chained|figure|@media/);
  });
});

describe('the built files', () => {
  let css = '';
  let js = '';
  beforeAll(async () => {
    await buildStatic();
    css = readFileSync(join(root, 'static', 'app.css'), 'utf8');
    js = readFileSync(join(root, 'static', 'app.js'), 'utf8');
  }, 60_000);

  it('style what the pages use, with Pico first and app.css after it', () => {
    for (const selector of ['.secondary', 'details.dropdown', 'dialog', '.overflow-auto', '.container', '.grid']) {
      expect(css.includes(selector), selector).toBe(true);
    }
    expect(css).toMatch(/prefers-color-scheme:\s*dark/);
    // Pico's licence first; app.css overrides Pico, so it comes last.
    expect(css.startsWith('/*!')).toBe(true);
    expect(css.slice(0, 60)).toContain('Pico CSS');
    expect(css.lastIndexOf('.skip-link')).toBeGreaterThan(css.lastIndexOf('details.dropdown'));
  });

  it('leave out what no page has', () => {
    for (const selector of [
      '.contrast',
      '[data-tooltip',
      'figcaption',
      '::-webkit-slider-thumb',
      '[aria-busy=true]:not(',
    ]) {
      expect(css.includes(selector), selector).toBe(false);
    }
  });

  it('run htmx before app.js, minified, without a source map', () => {
    expect(js.startsWith('var htmx=')).toBe(true);
    expect(js).toContain('modal:close');
    expect(js).not.toContain('sourceMappingURL');
    const source = readFileSync(join(root, 'client', 'app.js'), 'utf8');
    const htmx = readFileSync(join(root, 'node_modules', 'htmx.org', 'dist', 'htmx.min.js'), 'utf8');
    // Comments and whitespace gone: app.js's part is well under its source.
    expect(js.length - htmx.length).toBeLessThan(source.length * 0.7);
    expect(js).not.toContain("hticket's few lines of browser code");
  });
});
