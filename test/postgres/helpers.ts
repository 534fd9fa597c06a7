/** A fresh PostgreSQL database per describe block, copied from the migrated template the global setup made. */
import postgres, { type Sql } from 'postgres';
import { afterAll, beforeAll, inject } from 'vitest';
import { createPostgresClient, createPostgresDb } from '../../src/db/backends/postgres';
import type { Db, RoundTripCounter } from '../../src/db/database';

let made = 0;

/** Call inside a `describe`: the database exists before the block's own `beforeAll` hooks run. */
export function usePostgresDb(counter?: RoundTripCounter): { db: Db; url: string; admin: () => Sql } {
  const template = new URL(inject('postgresUrl'));
  const name = `t_${process.pid}_${++made}_${Date.now().toString(36)}`;
  const url = new URL(template);
  url.pathname = `/${name}`;
  let admin: Sql | undefined;
  // postgres.js connects on the first query, so the client can be made before its database exists.
  const { db, close } = createPostgresDb(createPostgresClient(url.toString()), counter);
  beforeAll(async () => {
    const server = postgres({ ...connectionOf(template), database: 'postgres', max: 1, onnotice: () => {} });
    await server.unsafe(`create database "${name}" template "${template.pathname.slice(1)}"`);
    await server.end();
  });
  afterAll(async () => {
    await close();
    await admin?.end();
    const server = postgres({ ...connectionOf(template), database: 'postgres', max: 1, onnotice: () => {} });
    await server.unsafe(`drop database if exists "${name}" with (force)`);
    await server.end();
  });
  return {
    db,
    url: url.toString(),
    /** A plain postgres.js connection to the same database, for EXPLAIN and direct checks. */
    admin: () => (admin ??= postgres(url.toString(), { max: 1, onnotice: () => {} })),
  };
}

function connectionOf(url: URL) {
  return {
    host: url.hostname,
    port: Number(url.port),
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
}
