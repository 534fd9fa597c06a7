/** @module web/paths — every in-app URL that carries a project key or ticket number is built here. */

/** A project's page (the ticket list), with an optional query string (`?status=…`). */
export function projectPath(key: string, search = ''): string {
  return `/p/${key}${search}`;
}

/** A page under a project: `projectPath(key, '/board')` style suffixes are spelled out here instead. */
export function projectPagePath(
  key: string,
  page: 'board' | 'tickets' | 'settings' | 'members' | 'delete' | 'archive' | 'unarchive' | 'preview' | 't',
  search = '',
): string {
  return `/p/${key}/${page}${search}`;
}

export function ticketPath(key: string, number: number, suffix = ''): string {
  return `/p/${key}/t/${number}${suffix}`;
}

/** The development outbox (mail/routes), behind the run's key. */
export function outboxPath(key: string): string {
  return `/dev/mail?key=${encodeURIComponent(key)}`;
}
