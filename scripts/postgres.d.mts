export const PG_MIGRATIONS: string;
export function migratePostgres(url: string): Promise<void>;
export interface PostgresServer {
  /** postgres://… of the migrated `hticket` database. */
  url: string;
  /** postgres://user:password@host:port, without a database. */
  base: string;
  port: number;
  password: string;
  stop: () => Promise<void>;
}
export function startPostgres(options?: { port?: number; log?: boolean }): Promise<PostgresServer>;
