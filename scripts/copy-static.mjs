// Copies the self-hosted front-end libraries from node_modules into static/vendor (never a CDN, never hand-edited).
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const vendor = join(root, 'static', 'vendor');
mkdirSync(vendor, { recursive: true });

const files = [
  ['htmx.org/dist/htmx.min.js', 'htmx.min.js'],
  ['@picocss/pico/css/pico.min.css', 'pico.min.css'],
];
for (const [from, to] of files) {
  const source = require.resolve(from);
  copyFileSync(source, join(vendor, to));
}
console.log(`copied ${files.map(([, to]) => to).join(', ')} to static/vendor`);
