/** @module views/time — times as every page shows them: the same text for every viewer (no per-user time zone yet). */

/** `2026-05-04 13:07 UTC` */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A `<time>` element: the machine-readable instant, and `formatTime` as its text. */
export function TimeText({ ms }: { ms: number }) {
  return <time datetime={new Date(ms).toISOString()}>{formatTime(ms)}</time>;
}
