/** The app's source files as text, for the tests that check rules about where code lives. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const root = join(import.meta.dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Every .ts and .tsx file under src/, with its path relative to the repository. */
export function readSources(): { file: string; text: string }[] {
  return sourceFiles(join(root, 'src')).map((path) => ({
    file: relative(root, path),
    text: readFileSync(path, 'utf8'),
  }));
}
