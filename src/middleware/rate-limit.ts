/** @module middleware/rate-limit — per-IP limits through the Workers Rate Limiting bindings. */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv, Env } from '../env';
import { renderError } from '../web/render';

type LimiterName = 'AUTH_LIMITER' | 'INVITE_LIMITER';

/** The client address as Cloudflare reports it; local runs and tests share one bucket. */
export function clientIp(headers: Headers): string {
  return headers.get('CF-Connecting-IP') ?? headers.get('X-Real-IP') ?? 'local';
}

/**
 * Limits unsafe requests (or every request with `methods: 'all'`) per IP and per route group. An absent binding
 * means no limit (it is declared in wrangler.toml, so only a misconfigured deployment lacks it).
 */
export function rateLimit(
  binding: LimiterName,
  scope: string,
  opts: { methods?: 'unsafe' | 'all' } = {},
): MiddlewareHandler<AppEnv> {
  return async function rateLimit(c, next) {
    const limiter = (c.env as Env)[binding];
    const counts = opts.methods === 'all' || !['GET', 'HEAD', 'OPTIONS'].includes(c.req.method);
    if (limiter && counts) {
      const { success } = await limiter.limit({ key: `${scope}:${clientIp(c.req.raw.headers)}` });
      if (!success) {
        c.header('Retry-After', '60');
        return renderError(
          c,
          429,
          'Too many attempts',
          'Too many attempts from your network. Wait a minute and try again.',
        );
      }
    }
    await next();
  };
}
