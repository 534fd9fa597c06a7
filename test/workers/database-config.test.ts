/** Choosing PostgreSQL is configuration: a broken choice stops the Worker with a message that names the variable. */
import { describe, expect, it } from 'vitest';
import { ConfigError, getConfig, type Env } from '../../src/env';

describe('PostgreSQL configuration', () => {
  const base = { APP_ORIGIN: 'http://127.0.0.1:8787', TOKEN_SECRET: 'x'.repeat(32), ENVIRONMENT: 'test' };
  const config = (extra: Record<string, unknown>) => getConfig({ ...base, ...extra } as unknown as Env);

  it('refuses a DATABASE_URL that is not a postgres URL, naming it', () => {
    expect(() => config({ DATABASE_URL: 'mysql://root@127.0.0.1/hticket' })).toThrow(ConfigError);
    expect(() => config({ DATABASE_URL: 'mysql://root@127.0.0.1/hticket' })).toThrow(
      /DATABASE_URL: must be a postgres/,
    );
    expect(config({ DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/hticket' }).DATABASE_URL).toMatch(/^postgres/);
  });

  it('refuses a Hyperdrive binding without a connection string, naming it and where the string comes from', () => {
    const noString = { connectionString: '' } as Hyperdrive;
    expect(() => config({ HYPERDRIVE: noString })).toThrow(ConfigError);
    expect(() => config({ HYPERDRIVE: noString })).toThrow(
      /HYPERDRIVE: .*no postgres connection string.*CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE/,
    );
    const good = { connectionString: 'postgres://u:p@abc.hyperdrive.local:5432/hticket' } as Hyperdrive;
    expect(() => config({ HYPERDRIVE: good })).not.toThrow();
  });
});
