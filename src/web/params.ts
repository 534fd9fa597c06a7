/** @module web/params — URL parameters checked as middleware: a malformed one is a 404 before any query runs. */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import { renderNotFound } from './render';

/** One check per parameter name; a parameter the route does not have is not checked. */
export function validParams(checks: Record<string, (value: string) => boolean>): MiddlewareHandler<AppEnv> {
  return async function validParams(c, next) {
    for (const [name, valid] of Object.entries(checks)) {
      const value = c.req.param(name);
      if (value !== undefined && !valid(value)) return renderNotFound(c);
    }
    await next();
  };
}
