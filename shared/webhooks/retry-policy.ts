import type { AttemptOutcome } from './delivery-attempt';

/**
 * What happens after one delivery attempt (issue 17 item 3), decided from the attempt's outcome alone. Pure.
 * - a 2xx answer: delivered;
 * - `410 Gone`: the receiver says the endpoint is gone for good: the endpoint is disabled;
 * - a refused destination (the URL now resolves to a refused address): given up at once, since another try
 *   would be refused the same way (the delivery stays in the log for `recover` after the URL is fixed);
 * - anything else (another status, a timeout, a reset, a TLS failure): retried after the schedule's next wait
 *   with up to 10 % jitter, or, for `429` and `503` with a `Retry-After`, after the wait the receiver asked for
 *   (at least the schedule's, at most the schedule's longest); once the schedule is used up, given up.
 */
export type AttemptDecision =
  | { readonly kind: 'delivered' }
  | { readonly kind: 'retry'; readonly at: Date; readonly detail: string }
  | { readonly kind: 'give-up'; readonly detail: string }
  | { readonly kind: 'disable'; readonly detail: string };

export interface RetryContext {
  /** The attempt that just ended, 1-based within its round. */
  readonly attempt: number;
  /** The waits before each retry (`AZL_WEBHOOK_RETRY_SCHEDULE`): attempt n + 1 waits `schedule[n - 1]`. */
  readonly scheduleMs: readonly number[];
  readonly now: Date;
  /** A number in [0, 1), for jitter. */
  readonly random: () => number;
}

/** The jitter added to a scheduled wait, as a share of it: spreads retries of one outage over time. */
export const JITTER = 0.1;

export function decideAfterAttempt(outcome: AttemptOutcome, context: RetryContext): AttemptDecision {
  if (outcome.kind === 'answered' && outcome.status >= 200 && outcome.status < 300)
    return { kind: 'delivered' };
  if (outcome.kind === 'answered' && outcome.status === 410)
    return { kind: 'disable', detail: 'the endpoint answered 410 Gone' };
  const detail = describeOutcome(outcome);
  if (outcome.kind === 'failed' && outcome.error.code === 'webhook.destination-refused')
    return { kind: 'give-up', detail };
  const wait = context.scheduleMs[context.attempt - 1];
  if (wait === undefined)
    return { kind: 'give-up', detail: `${detail}; no attempts left after ${context.attempt}` };
  const jittered = wait + Math.floor(wait * JITTER * context.random());
  const asked =
    outcome.kind === 'answered' && (outcome.status === 429 || outcome.status === 503)
      ? retryAfterMs(outcome.headers['retry-after'], context.now)
      : undefined;
  const longest = Math.max(...context.scheduleMs);
  const delay = asked === undefined ? jittered : Math.min(Math.max(asked, wait), Math.max(longest, wait));
  return { kind: 'retry', at: new Date(context.now.getTime() + delay), detail };
}

/**
 * `Retry-After` in milliseconds from `now`: delta-seconds (`120`) or an HTTP-date; undefined when absent or
 * malformed. A date in the past is 0.
 */
export function retryAfterMs(header: string | undefined, now: Date): number | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[A-Za-z]/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/** One line for the log and the delivery record: the status, or the error's code and message. */
export function describeOutcome(outcome: AttemptOutcome): string {
  if (outcome.kind === 'answered') return `answered ${outcome.status}`;
  return `${outcome.error.code}: ${outcome.error.message}`;
}
