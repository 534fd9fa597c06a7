/** @module mail/kinds/kind — what every kind of email provides: what to read when it is sent, and what it says. */
import { sql, type SQLWrapper } from 'drizzle-orm';
import type { Plan } from '../../db/plan';
import type { Composition } from '../blocks';
import type { MailMessage } from '../messages';

/**
 * What the message refers to, read fresh when it is consumed (never carried in the message): the content, with `to`
 * the address on the domain row as it is now, or why the email is no longer wanted.
 */
export type Loaded<C extends { to: string }> = { ok: true; content: C } | { ok: false; skip: string };

export interface TemplateContext {
  /** APP_ORIGIN from the configuration: never the Host of some request. */
  origin: string;
  tokenSecret: string;
}

export interface MailKind<M extends MailMessage, C extends { to: string }> {
  load(message: M, now: number): Plan<Loaded<C>>;
  compose(content: C, ctx: TemplateContext): Composition | Promise<Composition>;
}

/** D1 keys batch rows by column name, so joined columns that share a name get their own. */
export const named = <T>(column: SQLWrapper, alias: string) => sql<T>`${column}`.as(alias);

/** A condition read as a column, true or false (SQLite answers 1 or 0). */
export const flag = (condition: SQLWrapper, alias: string) =>
  sql<boolean>`${condition}`.mapWith((v) => Boolean(Number(v))).as(alias);
