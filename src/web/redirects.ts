/** @module web/redirects — `?next=` only ever leads to a path on this origin. */

const BASE = 'http://hticket.invalid';

/** A path a browser could read as another host: `//evil`, `/\evil` (browsers treat `\` like `/`). */
function looksLikeHost(path: string): boolean {
  return path.startsWith('//') || path.startsWith('/\\');
}

/**
 * Returns `value` when it is a same-origin path (`/x`), otherwise the fallback. `//evil` and `/\evil` are refused,
 * and so is anything that becomes one once dot segments are resolved (`/.//evil` is `//evil`).
 */
export function safeNextPath(value: string | undefined | null, fallback = '/'): string {
  if (!value || value.length > 2000) return fallback;
  if (!value.startsWith('/') || looksLikeHost(value)) return fallback;
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  try {
    const url = new URL(value, BASE);
    if (url.origin !== BASE) return fallback;
    const path = url.pathname + url.search + url.hash;
    return looksLikeHost(path) ? fallback : path;
  } catch {
    return fallback;
  }
}
