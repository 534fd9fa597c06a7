/**
 * @module invitations/bootstrap — the first manager. A fresh database has no users and there is no signup, so when
 * `BOOTSTRAP_MANAGER_EMAIL` is set and no user exists, that address is invited as a MANAGER through the same path as
 * the invite form. Checked on `GET /healthz` (which `npm start` calls once the server is up) and `GET /login`.
 */
import type { MiddlewareHandler } from 'hono';
import { normalizeEmail } from '../auth/fields';
import { outboxEnabled, type AppEnv, type Env } from '../env';
import { enqueueMail } from '../mail/producer';
import { absoluteUrl } from '../lib/links';
import { outboxPath } from '../web/paths';
import { DAY_MS, ensureBootstrapInvitation, invitationLink } from './service';

/** Per isolate and per environment: once the check has run, normal traffic pays no query for it. */
const checked = new WeakMap<Env, Promise<void>>();

export function bootstrapManager(): MiddlewareHandler<AppEnv> {
  return async function bootstrapManager(c, next) {
    const email = c.get('config').BOOTSTRAP_MANAGER_EMAIL;
    if (email) {
      let run = checked.get(c.env);
      if (!run) {
        run = bootstrap(c.env, c.var, email).catch((err: unknown) => {
          checked.delete(c.env);
          console.error('[bootstrap] could not check for the first manager invitation:', err);
        });
        checked.set(c.env, run);
      }
      await run;
    }
    await next();
  };
}

async function bootstrap(env: Env, vars: AppEnv['Variables'], configured: string): Promise<void> {
  const { config, db } = vars;
  const email = normalizeEmail(configured);
  const now = Date.now();
  const result = await ensureBootstrapInvitation(db, {
    email,
    now,
    ttlMs: config.INVITE_TTL_DAYS * DAY_MS,
    secret: config.TOKEN_SECRET,
  });
  // The link is a credential: it is printed only on local development runs (production gets the email alone).
  const showLink = config.ENVIRONMENT === 'development' && outboxEnabled(config);
  if (result.outcome === 'created') {
    await enqueueMail(env, result.messages);
    const link = await invitationLink(config.TOKEN_SECRET, config.APP_ORIGIN, result.invitation);
    console.log(
      showLink
        ? `\n[bootstrap] No users yet. Open this link to become the first manager (${email}):\n\n    ${link}\n${outboxLine(config)}`
        : `[bootstrap] No users yet: sent the first manager invitation to ${email}.`,
    );
  } else if (result.outcome === 'pending' && showLink) {
    const link = await invitationLink(config.TOKEN_SECRET, config.APP_ORIGIN, result.invitation);
    console.log(
      `\n[bootstrap] The first manager invitation (${email}) is still waiting:\n\n    ${link}\n${outboxLine(config)}`,
    );
  }
}

/** Where the emails of this run can be read: the outbox's key is printed here and nowhere else. */
function outboxLine(config: AppEnv['Variables']['config']): string {
  if (!config.DEV_OUTBOX_KEY) return '';
  return `\n[bootstrap] Every email of this run, links included, is listed at:\n\n    ${absoluteUrl(config.APP_ORIGIN, outboxPath(config.DEV_OUTBOX_KEY))}\n`;
}
