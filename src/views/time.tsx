/**
 * @module views/time — times as every page shows them. The server writes the exact UTC time (it does not know the
 * viewer's time zone); `client/app.js` turns each `<time>` into a relative time ("3 hours ago") in the viewer's own
 * zone, with the exact local time on hover. Emails keep the UTC text.
 */

/** `2026-05-04 13:07 UTC` */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * A `<time>` element: the machine-readable instant, `formatTime` as its text and its title. `absolute` keeps a date
 * and time (no "3 days ago") where the sentence around it needs one ("revoked on …").
 */
export function TimeText({ ms, absolute }: { ms: number; absolute?: boolean }) {
  const text = formatTime(ms);
  return (
    <time datetime={new Date(ms).toISOString()} title={text} data-absolute={absolute ? '' : undefined}>
      {text}
    </time>
  );
}
