/**
 * @module middleware/local-host — outside production the app answers only requests addressed to its own origin's
 * host or to a loopback name. A web page that rebinds its own DNS name to 127.0.0.1 sends its own name as Host, so it
 * cannot reach the development server (its outbox, its forms) from the browser of someone running it. Production is
 * served behind Cloudflare's routing and is not checked here.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import { renderError } from '../web/render';

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])$/;

function hostnameOf(host: string): string {
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
}

export function isOwnHost(host: string, appOrigin: string): boolean {
  const value = host.trim().toLowerCase();
  return value === new URL(appOrigin).host || LOOPBACK.test(hostnameOf(value));
}

export function localHostOnly(): MiddlewareHandler<AppEnv> {
  return async function localHostOnly(c, next) {
    const config = c.get('config');
    if (config.ENVIRONMENT === 'production') return next();
    const host = c.req.header('Host') ?? new URL(c.req.url).host;
    if (isOwnHost(host, config.APP_ORIGIN)) return next();
    return renderError(
      c,
      421,
      'Wrong address',
      `This development server answers only at ${config.APP_ORIGIN} (or a loopback address).`,
    );
  };
}
