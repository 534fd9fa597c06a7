// Writes the two files every page loads into static/ (git-ignored, never hand-edited, never a CDN):
// - static/app.js: htmx (its own minified build, from node_modules) followed by client/app.js, minified;
// - static/app.css: Pico built from its Sass sources with the modules client/pico.scss selects, without the rules no
//   page can match (scripts/prune-css.mjs), followed by client/app.css, minified.
// No source maps: client/ is small and readable, and a map would be one more file to serve.
// Runs on install (postinstall), before the tests and the benchmark, and as wrangler's custom build before every
// `wrangler dev` and deploy (wrangler.toml [build]). A file whose content is unchanged is not rewritten.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import * as sass from 'sass';
import { markupWords, pruneCss } from './prune-css.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const client = join(root, 'client');
const stat = join(root, 'static');

/** Writes a file through a temporary name (a server reading it never sees half of it), only when it changed. */
function write(path, content) {
  if (existsSync(path) && readFileSync(path, 'utf8') === content) return false;
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, content);
  renameSync(temp, path);
  return true;
}

function sourceTexts(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceTexts(path);
    return /\.tsx?$/.test(entry.name) ? [readFileSync(path, 'utf8')] : [];
  });
}

const minify = (code, loader) => transform(code, { loader, minify: true, target: 'es2022', legalComments: 'inline' });

export async function buildStatic() {
  const written = [];
  // Copied here by earlier versions; nothing links to it now.
  rmSync(join(stat, 'vendor'), { recursive: true, force: true });
  const appJs = readFileSync(join(client, 'app.js'), 'utf8');
  const appCss = readFileSync(join(client, 'app.css'), 'utf8');
  const pico = sass.compile(join(client, 'pico.scss'), {
    loadPaths: [join(root, 'node_modules')],
    // Pico's own sources use Sass features that now print deprecation warnings; they are Pico's to change.
    quietDeps: true,
    style: 'compressed',
  }).css;
  // Pages are made by src/ (JSX) and client/app.js; Markdown's tags are named in src/lib/markdown.ts.
  const words = markupWords([...sourceTexts(join(root, 'src')), appJs]);
  const css = `${pruneCss(pico, words, [appCss, appJs])}\n${appCss}`;
  if (write(join(stat, 'app.css'), (await minify(css, 'css')).code)) written.push('app.css');
  // One script, htmx first (app.js reads window.htmx as it starts); its map comment names a file not served.
  const htmx = readFileSync(require.resolve('htmx.org/dist/htmx.min.js'), 'utf8').replace(
    /\n?\/\/# sourceMappingURL=.*\s*$/,
    '',
  );
  const js = `${htmx.trimEnd()}\n${(await minify(appJs, 'js')).code}`;
  if (write(join(stat, 'app.js'), js)) written.push('app.js');
  return written;
}

if (process.argv[1] && relative(process.argv[1], fileURLToPath(import.meta.url)) === '') {
  const written = await buildStatic();
  console.log(`static/: ${written.length ? `wrote ${written.join(', ')}` : 'up to date'}`);
}
