/** @module middleware/security — headers on every response, CSRF on unsafe methods, the body size limit. */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from '../env';

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

/** Unsafe methods must come from our own origin: a request without Origin and without Sec-Fetch-Site is refused. */
export function csrfProtection(): MiddlewareHandler<AppEnv> {
  return csrf({
    origin: (origin, c) => origin === new URL(c.req.url).origin || origin === c.var.config.APP_ORIGIN,
  });
}

export function bodySizeLimit(): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => c.text('The request is too large (1 MB at most).', 413),
  });
}
