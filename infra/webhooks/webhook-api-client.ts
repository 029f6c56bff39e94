import { z } from 'zod';
import { describeError, PipelineError } from '../../shared/errors';

/** Where a running pipeline serves its HTTP API. */
export interface WebhookApiTarget {
  /** The API base, e.g. `http://127.0.0.1:7071/api`. */
  readonly apiBaseUrl: string;
  /** The function key (`x-functions-key`); absent for an anonymous endpoint. */
  readonly functionKey?: string;
}

export interface WebhookApiClientOptions {
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

/** A subscription as the API shows it (no secret); fields this version does not know are kept. */
const subscriptionSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    enabled: z.boolean(),
    format: z.string().optional(),
    description: z.string().optional(),
    filters: z.record(z.string(), z.array(z.string())).optional(),
    createdAt: z.string().optional(),
    updatedAt: z.string().optional(),
  })
  .loose();
export type SubscriptionView = z.infer<typeof subscriptionSchema>;

const withSecretSchema = subscriptionSchema.extend({ secret: z.string().startsWith('whsec_') });
export type SubscriptionWithSecretView = z.infer<typeof withSecretSchema>;

const listSchema = z.object({ items: z.array(subscriptionSchema) });

const pingSchema = z.object({ endpointId: z.string(), deliveryId: z.string(), eventId: z.string() });
export type PingAnswer = z.infer<typeof pingSchema>;

/** One attempt of the delivery log (`AttemptRecord` of `shared/webhooks/delivery.ts`), as read back. */
const attemptSchema = z
  .object({
    at: z.string(),
    deliveryId: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    attempt: z.number(),
    round: z.number(),
    result: z.string(),
    status: z.number().optional(),
    error: z.string().optional(),
    latencyMs: z.number(),
    response: z.string().optional(),
    nextAttemptAt: z.string().optional(),
  })
  .loose();
export type AttemptView = z.infer<typeof attemptSchema>;

const attemptPageSchema = z.object({
  attempts: z.array(attemptSchema),
  continuationToken: z.string().optional(),
});
export type AttemptPageView = z.infer<typeof attemptPageSchema>;

const redeliverSchema = z.object({ deliveryId: z.string(), round: z.number() });
export type RedeliverAnswer = z.infer<typeof redeliverSchema>;

const recoverSchema = z.object({ redelivered: z.number() });
export type RecoverAnswer = z.infer<typeof recoverSchema>;

/** The body of `POST /api/webhooks` (see `createSubscriptionSchema`); the API validates it. */
export interface NewSubscription {
  readonly url: string;
  readonly events: readonly string[];
  readonly filters?: {
    readonly components?: readonly string[];
    readonly channels?: readonly string[];
    readonly repositories?: readonly string[];
  };
  readonly description?: string;
  readonly format?: string;
}

/**
 * The client of the webhook API behind the function key (`functions/webhooks.ts` and the delivery routes):
 * one method per route, each answer checked against what the route promises. No answer: the transient
 * `webhooks.unreachable`; an error answer: `webhooks.refused` with the status and the problem's `code` (`apiCode`) and
 * message in its context (retryable for 429 and 5xx); an answer of the wrong shape: `webhooks.bad-answer`.
 * Nothing is retried here: the commands are run by a person, who sees the error at once.
 */
export class WebhookApiClient {
  private readonly doFetch: typeof fetch;
  private readonly base: string;

  constructor(
    private readonly target: WebhookApiTarget,
    private readonly options: WebhookApiClientOptions = {},
  ) {
    this.doFetch = options.fetch ?? fetch;
    this.base = target.apiBaseUrl.replace(/\/+$/, '');
  }

  create(subscription: NewSubscription): Promise<SubscriptionWithSecretView> {
    return this.call('POST', 'webhooks', [201], withSecretSchema, subscription);
  }

  async list(): Promise<SubscriptionView[]> {
    return (await this.call('GET', 'webhooks', [200], listSchema)).items;
  }

  get(id: string): Promise<SubscriptionView> {
    return this.call('GET', `webhooks/${segment(id)}`, [200], subscriptionSchema);
  }

  /** `PATCH`: the fields given replace the stored ones (`enabled` is how an endpoint is switched on or off). */
  update(id: string, patch: Record<string, unknown>): Promise<SubscriptionView> {
    return this.call('PATCH', `webhooks/${segment(id)}`, [200], subscriptionSchema, patch);
  }

  async remove(id: string): Promise<void> {
    await this.call('DELETE', `webhooks/${segment(id)}`, [204], z.unknown());
  }

  rotateSecret(id: string): Promise<SubscriptionWithSecretView> {
    return this.call('POST', `webhooks/${segment(id)}/rotate-secret`, [200], withSecretSchema);
  }

  /** Sends a `webhook.ping` to the endpoint (409 `webhook.endpoint-disabled` when it is disabled). */
  ping(id: string): Promise<PingAnswer> {
    return this.call('POST', `webhooks/${segment(id)}/ping`, [202], pingSchema);
  }

  /** A page of the endpoint's delivery log, newest first. */
  deliveries(
    id: string,
    page: { limit?: number; continuationToken?: string } = {},
  ): Promise<AttemptPageView> {
    const query = new URLSearchParams();
    if (page.limit !== undefined) query.set('limit', String(page.limit));
    if (page.continuationToken !== undefined) query.set('continuationToken', page.continuationToken);
    const search = query.toString() === '' ? '' : `?${query.toString()}`;
    return this.call('GET', `webhooks/${segment(id)}/deliveries${search}`, [200], attemptPageSchema);
  }

  /** Sends one delivery again as a new round, with the same `webhook-id`. */
  redeliver(id: string, deliveryId: string): Promise<RedeliverAnswer> {
    const path = `webhooks/${segment(id)}/deliveries/${segment(deliveryId)}/redeliver`;
    return this.call('POST', path, [202], redeliverSchema);
  }

  /** Sends again every delivery to the endpoint that failed since `since`. */
  recover(id: string, since: Date): Promise<RecoverAnswer> {
    const query = new URLSearchParams({ since: since.toISOString() });
    return this.call('POST', `webhooks/${segment(id)}/recover?${query.toString()}`, [202], recoverSchema);
  }

  private async call<S extends z.ZodType>(
    method: string,
    path: string,
    expected: readonly number[],
    schema: S,
    body?: unknown,
  ): Promise<z.output<S>> {
    const url = `${this.base}/${path}`;
    // The URL without the query is what errors name: a continuation token is opaque noise there.
    const where = `${method} ${url.split('?')[0]}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.target.functionKey) headers['x-functions-key'] = this.target.functionKey;
    let response: Response;
    let text: string;
    try {
      response = await this.doFetch(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
      text = await response.text();
    } catch (error) {
      throw PipelineError.transient(
        'webhooks.unreachable',
        `cannot reach ${where}: ${describeError(error)}`,
        {
          url: url.split('?')[0] ?? url,
        },
      );
    }
    if (!expected.includes(response.status)) throw refusal(where, response.status, text);
    let json: unknown = undefined;
    if (text.trim() !== '') {
      try {
        json = JSON.parse(text);
      } catch (error) {
        throw badAnswer(where, response.status, `not JSON: ${describeError(error)}`);
      }
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw badAnswer(where, response.status, parsed.error.issues[0]?.message ?? 'unexpected shape');
    return parsed.data;
  }
}

/** An id as one path segment: an id with a `/` or `?` cannot reach another route. */
const segment = (value: string): string => encodeURIComponent(value);

/** The problem answer (`{code, message}` of `functions/problem.ts`) as a `webhooks.refused`. */
function refusal(where: string, status: number, text: string): PipelineError {
  let problem: { code?: unknown; message?: unknown } = {};
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json === 'object' && json !== null) problem = json as typeof problem;
  } catch {
    // not a problem answer: the text itself is the detail
  }
  const code = typeof problem.code === 'string' ? problem.code : null;
  const detail =
    typeof problem.message === 'string' ? problem.message : text.trim().slice(0, 300) || 'no detail';
  const retryable = status === 429 || status >= 500;
  return new PipelineError(
    'webhooks.refused',
    `${where} answered ${status}${code ? ` ${code}` : ''}: ${detail}`,
    retryable,
    { status, apiCode: code, detail },
  );
}

function badAnswer(where: string, status: number, why: string): PipelineError {
  return PipelineError.permanent('webhooks.bad-answer', `${where} answered ${status}, ${why}`, { status });
}
