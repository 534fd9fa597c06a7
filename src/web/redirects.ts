/** @module web/redirects — `?next=` only ever leads to a path on this origin. */

/** Returns `value` when it is a same-origin path (`/x`), otherwise the fallback. `//evil` and `/\evil` are refused. */
export function safeNextPath(value: string | undefined | null, fallback = '/'): string {
  if (!value || value.length > 2000) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  if (/[\u0000-\u001f\\]/.test(value)) return fallback;
  try {
    const base = 'http://hticket.invalid';
    const url = new URL(value, base);
    // Dot segments can collapse to `//host` (`/..//evil.example`): check the path as it will be sent.
    const path = url.pathname + url.search + url.hash;
    if (url.origin !== base || path.startsWith('//')) return fallback;
    return path;
  } catch {
    return fallback;
  }
}
