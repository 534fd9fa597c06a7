/** @module web/htmx — the only place that reads or writes HX-* headers. */
import type { Context, MiddlewareHandler } from 'hono';
import type { EventName } from './events';

/**
 * True when htmx asked for a fragment. History restores and `HX-Request-Type: full` want the whole page,
 * so they count as page requests.
 */
export function isHtmx(c: Context): boolean {
  return (
    c.req.header('HX-Request') === 'true' &&
    c.req.header('HX-History-Restore-Request') !== 'true' &&
    c.req.header('HX-Request-Type') !== 'full'
  );
}

/** The page htmx sent the request from (`HX-Current-URL`), or null when absent or malformed. */
export function currentUrl(c: Context): URL | null {
  const value = c.req.header('HX-Current-URL');
  if (!value) return null;
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/**
 * `Vary: HX-Request` on every response (redirects and errors included), so a cache never serves a partial for a
 * page or the other way round; no handler has to remember it.
 */
export function varyOnHtmx(): MiddlewareHandler {
  return async function varyOnHtmx(c, next) {
    await next();
    const vary = c.res.headers.get('Vary') ?? '';
    if (!/\bHX-Request\b/i.test(vary)) c.res.headers.append('Vary', 'HX-Request');
  };
}

/** The answer for either kind of request: `answer()` for htmx, a 303 to `location` for a plain form post. */
export function htmxOrRedirect(
  c: Context,
  location: string,
  answer: () => Response | Promise<Response>,
): Response | Promise<Response> {
  return isHtmx(c) ? answer() : c.redirect(location, 303);
}

type TriggerDetail = Record<string, unknown> | string | number | boolean | null;
/** The app's events (web/events), each with its detail; `modal:close` is the modal contract's own. */
export type Events = Partial<Record<EventName | 'modal:close', TriggerDetail>>;

/** Adds events to HX-Trigger, merging with any already set on this response instead of overwriting them. */
export function trigger(c: Context, events: Events): void {
  const current = readTriggers(c.res.headers.get('HX-Trigger'));
  c.header('HX-Trigger', JSON.stringify({ ...current, ...events }));
}

function readTriggers(value: string | null): Record<string, TriggerDetail> {
  if (!value) return {};
  if (value.startsWith('{')) {
    try {
      return JSON.parse(value) as Record<string, TriggerDetail>;
    } catch {
      return {};
    }
  }
  return Object.fromEntries(
    value
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean)
      .map((name) => [name, null]),
  );
}

/** A full-page navigation done by htmx (used where a partial must not be swapped, e.g. an expired session). */
export function clientRedirect(c: Context, url: string): void {
  c.header('HX-Redirect', url);
}

export function retarget(c: Context, selector: string): void {
  c.header('HX-Retarget', selector);
}

export function reswap(c: Context, swap: string): void {
  c.header('HX-Reswap', swap);
}

/** The success answer of the modal contract: nothing to swap, events that make lists refresh and the modal close. */
export function modalDone(c: Context, events: Events = {}): Response {
  trigger(c, { ...events, 'modal:close': null });
  return c.body(null, 204);
}

/** The modal contract's success for either kind of request: `modalDone` for htmx, a 303 to `location` without it. */
export function modalDoneOrRedirect(c: Context, events: Events, location: string) {
  return htmxOrRedirect(c, location, () => modalDone(c, events));
}

/** Overrides the URL htmx pushes into history (e.g. a partial's page URL, so filtered views can be bookmarked). */
export function pushUrl(c: Context, url: string): void {
  c.header('HX-Push-Url', url);
}
