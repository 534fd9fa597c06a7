import path from 'node:path';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

// Two projects: the Worker inside workerd (real migrations on D1, the queue, R2, rate limiters), and the
// data layer on real libSQL in Node, so every service query is proven on both drivers.
export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                ENVIRONMENT: 'test',
                APP_ORIGIN: 'http://hticket.test',
                TOKEN_SECRET: 'test-token-secret-0123456789abcdef',
                COUNT_DB_ROUND_TRIPS: '1',
                BOOTSTRAP_MANAGER_EMAIL: '',
                TEST_MIGRATIONS: await readD1Migrations(path.join(import.meta.dirname, 'migrations')),
              },
            },
          })),
        ],
        test: {
          name: 'workers',
          include: ['test/workers/**/*.test.{ts,tsx}'],
          setupFiles: ['./test/workers/setup.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'libsql',
          environment: 'node',
          include: ['test/libsql/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'postgres',
          environment: 'node',
          include: ['test/postgres/**/*.test.ts'],
          globalSetup: ['./test/postgres/global-setup.ts'],
          testTimeout: 20_000,
        },
      },
    ],
  },
});
