/** The production environment in wrangler.toml carries every binding of the local one, and production settings. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JOBS } from '../../src/scheduled';

const root = join(import.meta.dirname, '..', '..');

/** The binding table `wrangler deploy --dry-run` prints, as name -> resource kind. */
function bindings(envName?: string): Map<string, string> {
  const out = mkdtempSync(join(tmpdir(), 'hticket-deploy-'));
  try {
    const args = [join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js'), 'deploy', '--dry-run', '--outdir', out];
    args.push(`--env=${envName ?? ''}`);
    const printed = execFileSync(process.execPath, args, {
      cwd: root,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
      encoding: 'utf8',
    });
    const rows = [...printed.matchAll(/^env\.(\w+)(?: \(([^)]*)\))?\s{2,}(\S.*?)\s*$/gm)];
    return new Map(rows.map((m) => [m[1]!, `${m[3]}${m[2] && m[3]!.startsWith('Environment') ? `=${m[2]}` : ''}`]));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

describe('wrangler.toml', () => {
  it('gives the production environment every binding the local one has, and production settings', () => {
    const local = bindings();
    const production = bindings('production');
    const resources = (m: Map<string, string>) =>
      [...m].filter(([, kind]) => !kind.startsWith('Environment')).map(([name, kind]) => `${name}:${kind}`);
    expect(resources(local).length).toBeGreaterThanOrEqual(5);
    expect(resources(production).sort()).toEqual(resources(local).sort());
    expect(production.get('ENVIRONMENT')).toBe('Environment Variable="production"');
    expect(production.get('MAIL_TRANSPORT')).toBe('Environment Variable="http"');
    expect(production.get('APP_ORIGIN')).toMatch(/^Environment Variable="https:\/\//);
    expect(local.get('ENVIRONMENT')).toBe('Environment Variable="development"');
  }, 120_000);

  it('declares the schedule of every job for local runs and for production, and no other', () => {
    const toml = readFileSync(join(root, 'wrangler.toml'), 'utf8');
    const cronsUnder = (header: string) => {
      const section = toml.split(/^\[/m).find((part) => part.startsWith(`${header}]`));
      const list = section?.match(/^crons\s*=\s*\[([^\]]*)\]/m)?.[1];
      return list === undefined ? undefined : [...list.matchAll(/"([^"]*)"/g)].map((m) => m[1]!).sort();
    };
    const wanted = [...new Set(JOBS.map((job) => job.cron))].sort();
    expect(wanted.length).toBeGreaterThan(0);
    expect(cronsUnder('triggers')).toEqual(wanted);
    expect(cronsUnder('env.production.triggers')).toEqual(wanted);
  });
});
