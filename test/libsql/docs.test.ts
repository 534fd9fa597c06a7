/**
 * The README agrees with the code: its layout names every folder of src/, it documents every option `npm start`
 * takes and the Node version npm asks for, and one launcher serves the app for npm start, the browser suite and the
 * benchmark.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './sources';

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** The text of one `## ` section of the README. */
function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  expect(start, `README has a "${title}" section`).toBeGreaterThan(-1);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

describe('README', () => {
  it('shows every folder of src/ in its layout', () => {
    const layout = section('Layout');
    const folders = readdirSync(join(root, 'src'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${entry.name}/`);
    expect(folders.length).toBeGreaterThan(10);
    expect(folders.filter((folder) => !new RegExp(`^  (?:[\\w-]+/ )*${folder}`, 'm').test(layout))).toEqual([]);
  });

  it('documents every option npm start takes, after --', () => {
    const start = read('scripts/start.mjs');
    const options = [...start.slice(start.indexOf('parseArgs(')).matchAll(/^\s+'?([\w-]+)'?: \{ type:/gm)].map(
      (m) => m[1]!,
    );
    expect(options).toEqual(['port', 'persist-to', 'inspector-port']);
    for (const option of options) expect(readme, `--${option}`).toContain(`| \`--${option}`);
    expect(readme).toMatch(/npm start -- --port \d+/);
  });

  it('says which Node npm asks for and why its warning on an older one is harmless', () => {
    const engines = JSON.parse(read('package.json')).engines.node as string;
    const version = /(\d+\.\d+)/.exec(engines)![1]!;
    expect(section('Run it')).toContain(`Node ${version}`);
    expect(section('Run it')).toContain('EBADENGINE');
  });
});

describe('the local launcher', () => {
  it('is one module: npm start, the browser suite and the benchmark all serve through scripts/dev-server.mjs', () => {
    for (const user of ['scripts/start.mjs', 'e2e/server.mjs', 'bench/run.mjs']) {
      expect(read(user), user).toMatch(
        /import \{[^}]*\bstartDevServer\b[^}]*\} from '[./]*(scripts\/)?dev-server\.mjs'/,
      );
    }
    // Nothing else runs `wrangler dev` itself.
    const scripts = ['scripts', 'e2e', 'bench'].flatMap((dir) =>
      readdirSync(join(root, dir))
        .filter((name) => name.endsWith('.mjs'))
        .map((name) => `${dir}/${name}`),
    );
    const launchers = scripts.filter((path) => /\[\s*'dev',/.test(read(path)));
    expect(launchers).toEqual(['scripts/dev-server.mjs']);
  });
});
