import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { httpStatusOf } from '../shared/error-codes';
import { describeError, PipelineError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import type { ServicesProvider } from '../shared/services';
import type { WebhookSubscriptions } from '../shared/webhooks/subscriptions';
import type { WebhookDelivery } from '../shared/webhooks/webhook-delivery';
import { invocationLogger } from './invocation-logger';
import { problem, unavailable } from './problem';
import type { HttpFunction, HttpMethod } from './table';

/** The largest request body: three filter lists of 100 × 200 characters fit, with room for the rest. */
export const MAX_SUBSCRIPTION_BODY_BYTES = 256 * 1024;

type Answer = (
  request: HttpRequest,
  webhooks: WebhookSubscriptions,
  id: string,
  delivery: () => WebhookDelivery,
) => Promise<HttpResponseInit>;

/**
 * The webhook subscription API (issue 17 item 2), behind the function key:
 * `POST /api/webhooks` (201 with the secret, shown this once), `GET /api/webhooks`, `GET`, `PATCH` and
 * `DELETE /api/webhooks/{id}`, `POST /api/webhooks/{id}/rotate-secret` (the new secret, once); and over
 * delivery (items 2 and 6): `POST /api/webhooks/{id}/ping` (202: a `webhook.ping` is on its way),
 * `GET /api/webhooks/{id}/deliveries?limit=&continuationToken=` (the delivery log, newest first),
 * `POST /api/webhooks/{id}/deliveries/{deliveryId}/redeliver` and `POST /api/webhooks/{id}/recover?since=`
 * (202). Invalid input answers 400 naming the field (`webhook.invalid-subscription`,
 * `webhook.destination-refused`, `webhook.invalid-request`) and stores nothing; an unknown id 404; a
 * disabled endpoint 409 for ping, redeliver and recover. `webhooks/{id}` is a parameter route beside the literal
 * `webhooks/event-types`: both hosts try literal routes first.
 */
export function webhookFunctions(services: ServicesProvider): HttpFunction[] {
  return [
    http(services, 'webhooksCreate', 'webhooks', 'POST', async (request, webhooks) => ({
      status: 201,
      jsonBody: await webhooks.create(await jsonBodyOf(request)),
    })),
    http(services, 'webhooksList', 'webhooks', 'GET', async (_request, webhooks) => ({
      status: 200,
      jsonBody: { items: await webhooks.list() },
    })),
    http(services, 'webhooksGet', 'webhooks/{id}', 'GET', async (_request, webhooks, id) => ({
      status: 200,
      jsonBody: await webhooks.get(id),
    })),
    http(services, 'webhooksUpdate', 'webhooks/{id}', 'PATCH', async (request, webhooks, id) => ({
      status: 200,
      jsonBody: await webhooks.update(id, await jsonBodyOf(request)),
    })),
    http(services, 'webhooksDelete', 'webhooks/{id}', 'DELETE', async (_request, webhooks, id) => {
      await webhooks.delete(id);
      return { status: 204 };
    }),
    http(
      services,
      'webhooksRotateSecret',
      'webhooks/{id}/rotate-secret',
      'POST',
      async (_request, webhooks, id) => ({ status: 200, jsonBody: await webhooks.rotateSecret(id) }),
    ),
    http(
      services,
      'webhooksPing',
      'webhooks/{id}/ping',
      'POST',
      async (_request, _webhooks, id, delivery) => ({
        status: 202,
        jsonBody: await delivery().ping(id),
      }),
    ),
    http(
      services,
      'webhooksDeliveries',
      'webhooks/{id}/deliveries',
      'GET',
      async (request, _webhooks, id, delivery) => {
        const limit = request.query.get('limit');
        const continuationToken = request.query.get('continuationToken');
        return {
          status: 200,
          jsonBody: await delivery().attempts(id, {
            ...(limit === null ? {} : { limit: integerParameter('limit', limit, 1, 200) }),
            ...(continuationToken ? { continuationToken } : {}),
          }),
        };
      },
    ),
    http(
      services,
      'webhooksRedeliver',
      'webhooks/{id}/deliveries/{deliveryId}/redeliver',
      'POST',
      async (request, _webhooks, id, delivery) => ({
        status: 202,
        jsonBody: await delivery().redeliver(id, request.params.deliveryId ?? ''),
      }),
    ),
    http(
      services,
      'webhooksRecover',
      'webhooks/{id}/recover',
      'POST',
      async (request, _webhooks, id, delivery) => ({
        status: 202,
        jsonBody: await delivery().recover(id, timeParameter('since', request.query.get('since'))),
      }),
    ),
  ];
}

function integerParameter(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max)
    throw PipelineError.permanent(
      'webhook.invalid-request',
      `${name}: must be a whole number from ${min} to ${max}`,
      {
        field: name,
      },
    );
  return value;
}

function timeParameter(name: string, text: string | null): Date {
  const at = text === null ? Number.NaN : Date.parse(text);
  if (text === null || !/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(at))
    throw PipelineError.permanent(
      'webhook.invalid-request',
      `${name}: must be an ISO 8601 time, e.g. 2026-12-06T10:00:00Z`,
      {
        field: name,
      },
    );
  return new Date(at);
}

function http(
  services: ServicesProvider,
  name: string,
  route: string,
  method: HttpMethod,
  answer: Answer,
): HttpFunction {
  return {
    kind: 'http',
    name,
    route,
    methods: [method],
    authLevel: 'function',
    handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
      let webhooks: WebhookSubscriptions | undefined;
      let webhookDelivery: WebhookDelivery | undefined;
      let logger: Logger;
      try {
        ({ webhooks, webhookDelivery, logger } = await services());
      } catch (error) {
        return problem(
          503,
          'webhook.not-configured',
          `the services could not start: ${describeError(error)}`,
        );
      }
      if (!webhooks)
        return problem(503, 'webhook.not-configured', 'this instance keeps no webhook subscriptions');
      try {
        const delivery = (): WebhookDelivery => {
          if (!webhookDelivery)
            throw PipelineError.transient('webhook.not-configured', 'this instance delivers no webhooks');
          return webhookDelivery;
        };
        return await answer(request, webhooks, request.params.id ?? '', delivery);
      } catch (error) {
        const status = PipelineError.is(error) ? httpStatusOf(error.code) : undefined;
        if (PipelineError.is(error) && (status === 400 || status === 404 || status === 409))
          return problem(status, error.code, error.message);
        // The request body is not logged: it may hold a URL with a token in its path.
        invocationLogger(logger, context).error('webhook subscription request failed', {
          route,
          method,
          error,
        });
        const retryLater = unavailable(error, 10);
        if (retryLater) return retryLater;
        throw error;
      }
    },
  };
}

/** The body as JSON, within `MAX_SUBSCRIPTION_BODY_BYTES`; otherwise a 400 naming `body`. */
async function jsonBodyOf(request: HttpRequest): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  const bytes = declared > MAX_SUBSCRIPTION_BODY_BYTES ? undefined : Buffer.from(await request.arrayBuffer());
  if (bytes === undefined || bytes.length > MAX_SUBSCRIPTION_BODY_BYTES)
    throw PipelineError.permanent(
      'webhook.invalid-subscription',
      `body: larger than ${MAX_SUBSCRIPTION_BODY_BYTES} bytes`,
      { field: 'body' },
    );
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch (error) {
    throw PipelineError.permanent('webhook.invalid-subscription', `body: not JSON: ${describeError(error)}`, {
      field: 'body',
    });
  }
}
