/** @module middleware/security — headers on every response, CSRF on unsafe methods, the body size limit. */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from '../env';
import { renderError } from '../web/render';

export const MAX_BODY_BYTES = 1024 * 1024;

export function securityHeaders(): MiddlewareHandler<AppEnv> {
  const plain = build(false);
  const https = build(true);
  return async function securityHeaders(c, next) {
    const onHttps = new URL(c.req.url).protocol === 'https:';
    await (onHttps ? https : plain)(c, next);
  };
}

function build(onHttps: boolean): MiddlewareHandler<AppEnv> {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", NONCE],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      formAction: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
    },
    strictTransportSecurity: onHttps ? 'max-age=31536000; includeSubDomains' : false,
    referrerPolicy: 'same-origin',
    xFrameOptions: 'DENY',
    crossOriginEmbedderPolicy: false,
    permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
    // Routes may set a stricter header (token pages send Referrer-Policy: no-referrer).
    overwrite: false,
  });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const FORM_TYPES = /^\b(application\/x-www-form-urlencoded|multipart\/form-data|text\/(?:plain|ping))\b/i;

function refused(c: Context<AppEnv>) {
  return renderError(
    c,
    403,
    'Request refused',
    'This form was sent from another site, or your browser did not say where it came from. Reload the page and try again.',
  );
}

/**
 * Unsafe methods must come from our own origin: a request without Origin and without Sec-Fetch-Site is refused.
 * Hono's `csrf()` judges the content types a cross-site form can send; any other unsafe request must pass the same
 * test here, so the rule has no exceptions. The refusal is a readable page, not a bare "Forbidden".
 */
export function csrfProtection(): MiddlewareHandler<AppEnv> {
  const sameOrigin = (origin: string | undefined, c: Context<AppEnv>) =>
    origin !== undefined && (origin === new URL(c.req.url).origin || origin === c.get('config').APP_ORIGIN);
  const check = csrf({ origin: (origin, c) => sameOrigin(origin, c as Context<AppEnv>) });
  return async function csrfProtection(c, next) {
    if (SAFE_METHODS.has(c.req.method)) return next();
    let passed = false;
    try {
      await check(c, async () => {
        passed = true;
      });
    } catch (err) {
      if (err instanceof HTTPException && err.status === 403) return refused(c);
      throw err;
    }
    const formLike = FORM_TYPES.test(c.req.header('Content-Type') ?? 'text/plain');
    if (!formLike && c.req.header('Sec-Fetch-Site') !== 'same-origin' && !sameOrigin(c.req.header('Origin'), c)) {
      return refused(c);
    }
    if (passed) await next();
  };
}

export function bodySizeLimit(): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => renderError(c as Context<AppEnv>, 413, 'Too large', 'The request is too large (1 MB at most).'),
  });
}

/** Pages whose URL carries a token (join, password reset): never cached, and the token never leaks through Referer. */
export function noStoreNoReferrer(): MiddlewareHandler<AppEnv> {
  return async function noStoreNoReferrer(c, next) {
    await next();
    c.res.headers.set('Cache-Control', 'no-store');
    c.res.headers.set('Referrer-Policy', 'no-referrer');
  };
}
