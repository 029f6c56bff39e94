import type { PipelineError } from '../errors';

/**
 * One delivery attempt: a POST to a webhook receiver, and what came of it. The port the delivery logic sends
 * through; `infra/webhooks/safe-http-client.ts` implements it with the SSRF checks of `destination-policy.ts`.
 * An attempt never throws for anything the receiver or the network does: it ends in an `AttemptOutcome`
 * within its time limit, for the retry logic and the delivery log.
 */
export interface WebhookPost {
  /** The receiver's URL, checked again on every attempt (a stored URL may predate a stricter policy). */
  readonly url: string;
  readonly body: string | Uint8Array;
  /** Request headers (content-type, webhook-id, webhook-signature, ...). Host and content-length are the client's. */
  readonly headers: Readonly<Record<string, string>>;
}

export interface WebhookPoster {
  post(request: WebhookPost): Promise<AttemptOutcome>;
}

/** How the read of an answer's body ended. */
export type BodyEnd =
  /** Read to its end, within the cap. */
  | 'complete'
  /** The cap was reached: reading stopped there and the connection was closed. */
  | 'capped'
  /** The attempt's time limit came while the body was still arriving (a slow drip); the connection was closed. */
  | 'time-limit'
  /** The connection broke while the body was arriving. */
  | 'broken';

/**
 * The receiver answered: its status line and headers arrived within the time limit. Any status is an answer,
 * a 3xx too (redirects are never followed: `headers.location` says where it pointed).
 */
export interface AttemptAnswered {
  readonly kind: 'answered';
  readonly status: number;
  /** Lower-case names; repeated headers joined with `, `. `retry-after` is as the receiver wrote it. */
  readonly headers: Readonly<Record<string, string>>;
  /** The first bytes of the body (at most the client's cap), as UTF-8 text. */
  readonly bodyExcerpt: string;
  readonly bodyEnd: BodyEnd;
  /** From the start of the attempt (the URL check) to the end of the body read. */
  readonly latencyMs: number;
}

/**
 * No answer: the destination was refused (`webhook.destination-refused`, permanent), or the name did not
 * resolve, the connection failed, was reset, TLS failed, the answer was not HTTP, or the time limit came first
 * (`webhook.dns-failed`, `connect-failed`, `connection-reset`, `tls-failed`, `bad-answer`, `timeout`).
 */
export interface AttemptFailed {
  readonly kind: 'failed';
  readonly error: PipelineError;
  readonly latencyMs: number;
}

export type AttemptOutcome = AttemptAnswered | AttemptFailed;
