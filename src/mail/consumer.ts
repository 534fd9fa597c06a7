/**
 * @module mail/consumer — the `queue` handler of the Worker. Each message is handled on its own: parse, load, skip
 * if no longer valid or already sent, render, send with the delivery id as idempotency key, record, then ack or
 * retry. The dead-letter queue's consumer marks what the main queue gave up on as failed.
 */
import { createDb } from '../db/client';
import type { Db } from '../db/database';
import { runPlan } from '../db/plan';
import { ConfigError, getConfig, outboxEnabled, type Config, type Env } from '../env';
import { mailMessageSchema, type MailMessage } from './messages';
import { loadMail, readDelivery, recordOutcome, type Composed, type Outcome } from './deliveries';
import { openRequested } from './requests';
import { createTransport, type MailTransport } from './transports';

/** The queue names declared in wrangler.toml. */
export const MAIL_QUEUE_NAME = 'hticket-mail';
export const MAIL_DEAD_LETTER_QUEUE_NAME = 'hticket-mail-dlq';

const MAX_RETRY_DELAY_SECONDS = 3600;
/** A broken configuration is not fixed in seconds; give the operator time before the next try. */
const CONFIG_ERROR_DELAY_SECONDS = 300;

/** 30 s, 60 s, 120 s, ... up to an hour: `attempts` is 1 on the first delivery. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(30 * 2 ** Math.max(attempts - 1, 0), MAX_RETRY_DELAY_SECONDS);
}

export interface ConsumerOptions {
  /** Replaces the configured transport (tests). */
  transport?: MailTransport;
  now?: () => number;
}

export async function handleMailBatch(
  batch: MessageBatch<unknown>,
  env: Env,
  _ctx: ExecutionContext,
  options: ConsumerOptions = {},
): Promise<void> {
  if (batch.queue === MAIL_DEAD_LETTER_QUEUE_NAME) return handleDeadLetters(batch, createDb(env));
  if (batch.queue !== MAIL_QUEUE_NAME) throw new Error(`no consumer for the queue ${batch.queue}`);
  let config: Config;
  let transport: MailTransport;
  try {
    config = getConfig(env);
    transport = options.transport ?? createTransport(config);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`[mail] cannot send: ${err.message}`);
    batch.retryAll({ delaySeconds: CONFIG_ERROR_DELAY_SECONDS });
    return;
  }
  const deps: Deps = { db: createDb(env), config, transport, now: options.now ?? Date.now };
  // One at a time: providers rate-limit per second, and one message's failure must not touch the others.
  for (const message of batch.messages) await handleMessage(message, deps);
}

interface Deps {
  db: Db;
  config: Config;
  transport: MailTransport;
  now: () => number;
}

async function handleMessage(message: Message<unknown>, deps: Deps): Promise<void> {
  let body: unknown;
  try {
    body = await openRequested(deps.db, message.body, { tokenSecret: deps.config.TOKEN_SECRET, now: deps.now() });
  } catch (err) {
    console.error(`[mail] request ${message.id}: attempt ${message.attempts} failed, will retry:`, err);
    message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    return;
  }
  if (body === null) {
    // Asked for an address without an active account: nothing to send, and nothing in the log says which.
    message.ack();
    return;
  }
  const parsed = mailMessageSchema.safeParse(body);
  if (!parsed.success) {
    // Retrying cannot make it valid: drop it, loudly.
    console.error(
      `[mail] dropped malformed message ${message.id}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; ')}`,
    );
    message.ack();
    return;
  }
  const mail = parsed.data;
  try {
    const outcome = await deliver(mail, message.attempts, deps);
    if (outcome.retry) message.retry({ delaySeconds: outcome.delaySeconds });
    else message.ack();
  } catch (err) {
    console.error(`[mail] ${mail.type} ${mail.deliveryId}: attempt ${message.attempts} failed, will retry:`, err);
    message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
  }
}

type Handled = { retry: false } | { retry: true; delaySeconds: number };

async function deliver(mail: MailMessage, attempts: number, { db, config, transport, now }: Deps): Promise<Handled> {
  const label = `[mail] ${mail.type} ${mail.deliveryId}`;
  const loaded = await runPlan(db, loadMail(mail, now()));
  if (!loaded.ok) {
    if (loaded.reason === 'skip') {
      await runPlan(db, recordOutcome(loaded.delivery, { status: 'SKIPPED', reason: loaded.skip }));
      console.log(`${label}: not sent, ${loaded.skip}`);
    } else if (loaded.reason === 'no_delivery') console.warn(`${label}: no delivery row, dropped`);
    else console.log(`${label}: already ${loaded.delivery?.status}, not sent again`);
    return { retry: false };
  }

  const { delivery, mail: prepared } = loaded;
  const email = await prepared.render({ origin: config.APP_ORIGIN, tokenSecret: config.TOKEN_SECRET });
  const composed: Composed = {
    recipient: prepared.to,
    subject: email.subject,
    textBody: outboxEnabled(config) ? email.text : null,
  };
  const result = await transport.send({ from: config.MAIL_FROM, to: prepared.to, ...email }, delivery.id);
  const record = (outcome: Outcome) => runPlan(db, recordOutcome(delivery, outcome));

  if (result.ok) {
    await record({ status: 'SENT', composed, providerId: result.providerId, at: now() });
    if (transport.name !== 'log') console.log(`${label}: sent${result.providerId ? ` (${result.providerId})` : ''}`);
    return { retry: false };
  }
  if (!result.permanent) {
    await record({ status: 'RETRYING', composed, error: result.error });
    const delaySeconds = Math.min(
      Math.max(retryDelaySeconds(attempts), result.retryAfterSeconds ?? 0),
      MAX_RETRY_DELAY_SECONDS,
    );
    console.warn(`${label}: attempt ${attempts} failed (${result.error}), retrying in ${delaySeconds} s`);
    return { retry: true, delaySeconds };
  }
  await record({ status: 'FAILED', composed, error: result.error, attempted: true });
  console.error(`${label}: failed for good (${result.error})`);
  return { retry: false };
}

/** Messages the main queue retried `max_retries` times land here: the delivery becomes FAILED so the UI can say so. */
async function handleDeadLetters(batch: MessageBatch<unknown>, db: Db): Promise<void> {
  for (const message of batch.messages) {
    const parsed = mailMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      console.error(`[mail] dropped malformed dead letter ${message.id}`);
      message.ack();
      continue;
    }
    const { type, deliveryId } = parsed.data;
    try {
      const delivery = await runPlan(db, readDelivery(deliveryId));
      if (delivery?.status === 'QUEUED') {
        const error = `gave up after ${delivery.attempts} attempt${delivery.attempts === 1 ? '' : 's'}${delivery.lastError ? `: ${delivery.lastError}` : ''}`;
        await runPlan(db, recordOutcome(delivery, { status: 'FAILED', composed: null, error, attempted: false }));
        console.error(`[mail] ${type} ${deliveryId}: ${error}`);
      }
      message.ack();
    } catch (err) {
      console.error(`[mail] dead letter ${type} ${deliveryId}: could not record the failure, will retry:`, err);
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}
