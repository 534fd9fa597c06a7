import type { D1Migration } from 'cloudflare:test';
import type { Env as AppBindings } from '../../src/env';

declare global {
  namespace Cloudflare {
    interface Env extends AppBindings {
      TEST_MIGRATIONS: D1Migration[];
      /** workers-pg only: PostgreSQL down, and PostgreSQL refusing the password. */
      PG_DOWN?: Hyperdrive;
      PG_REFUSED?: Hyperdrive;
    }
    interface GlobalProps {
      mainModule: typeof import('../../src/index');
    }
  }
}
export {};
