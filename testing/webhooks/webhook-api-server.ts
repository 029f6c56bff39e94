import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { HttpFunction } from '../../functions/table';
import { webhookFunctions } from '../../functions/webhooks';
import { startHttpServer } from '../../hosts/local/functions-host/http-server';
import { silentLogger } from '../../shared/logger';
import type { AttemptRecord } from '../../shared/webhooks/delivery';
import { WebhookSubscriptions } from '../../shared/webhooks/subscriptions';
import { randomWebhookSecret } from '../../infra/webhooks/random-webhook-secret';
import { fakeServices } from '../fakes/services';
import { MemorySubscriptionStore } from '../fakes/subscription-store';

/**
 * The webhook API over real HTTP on loopback, behind a function key, as a client (the CLI) meets it: the real
 * subscription handlers (`functions/webhooks.ts`) on a `MemorySubscriptionStore` (loopback URLs allowed, as
 * the local runtime allows them), and beside them a fake of the delivery routes' contract (ping, the
 * delivery log, redeliver, recover) over the same store, for clients built before those routes exist.
 */
export interface WebhookApiServer {
  /** `http://127.0.0.1:<port>/api`. */
  readonly apiBaseUrl: string;
  readonly functionKey: string;
  readonly store: MemorySubscriptionStore;
  /** The delivery log the fake pages through, per endpoint id, newest first. */
  readonly attempts: Map<string, AttemptRecord[]>;
  /** What the fake delivery routes were asked, in order: `<route> <id> <detail>`. */
  readonly asked: string[];
  close(): Promise<void>;
}

export async function startWebhookApiServer(): Promise<WebhookApiServer> {
  const store = new MemorySubscriptionStore();
  let ids = 0;
  const webhooks = new WebhookSubscriptions({
    store,
    policy: { allowLoopback: true },
    newSecret: () => randomWebhookSecret(),
    newId: () => `ep_${String(++ids).padStart(3, '0')}`,
    now: () => new Date(),
  });
  const attempts = new Map<string, AttemptRecord[]>();
  const asked: string[] = [];
  const functions = [
    ...webhookFunctions(() => Promise.resolve(fakeServices({ webhooks }))),
    ...deliveryContractFake(store, attempts, asked),
  ];
  const functionKey = 'webhook-api-test-key';
  const server = await startHttpServer({
    functions,
    port: 0,
    functionKeys: { default: functionKey },
    logger: silentLogger,
  });
  return {
    apiBaseUrl: `${server.url}/api`,
    functionKey,
    store,
    attempts,
    asked,
    close: () => server.close(),
  };
}

/**
 * The contract of the delivery routes (issue 17): `POST webhooks/{id}/ping` 202 `{endpointId, deliveryId,
 * eventId}` (409 `webhook.endpoint-disabled` when disabled); `GET webhooks/{id}/deliveries?limit&
 * continuationToken` 200 `{attempts, continuationToken?}` (the token here: the next offset); `POST
 * webhooks/{id}/deliveries/{deliveryId}/redeliver` 202 `{deliveryId, round}`; `POST webhooks/{id}/recover?
 * since=` 202 `{redelivered}` (here: the endpoint's failed attempts at or after `since`). Unknown ids: 404.
 */
function deliveryContractFake(
  store: MemorySubscriptionStore,
  attempts: Map<string, AttemptRecord[]>,
  asked: string[],
): HttpFunction[] {
  const route = (
    name: string,
    path: string,
    method: 'GET' | 'POST',
    answer: (request: HttpRequest, id: string) => HttpResponseInit,
  ): HttpFunction => ({
    kind: 'http',
    name,
    route: path,
    methods: [method],
    authLevel: 'function',
    handler: (request: HttpRequest) => {
      const id = request.params.id ?? '';
      if (!store.rows.has(id))
        return Promise.resolve(problem(404, 'webhook.unknown-subscription', `no webhook subscription ${id}`));
      return Promise.resolve(answer(request, id));
    },
  });
  let pings = 0;
  return [
    route('webhooksPing', 'webhooks/{id}/ping', 'POST', (_request, id) => {
      asked.push(`ping ${id}`);
      if (store.rows.get(id)?.enabled === false)
        return problem(409, 'webhook.endpoint-disabled', `webhook ${id} is disabled`);
      pings += 1;
      return {
        status: 202,
        jsonBody: { endpointId: id, deliveryId: `dlv_ping${pings}`, eventId: `evt_ping${pings}` },
      };
    }),
    route('webhooksDeliveries', 'webhooks/{id}/deliveries', 'GET', (request, id) => {
      const limit = Number(request.query.get('limit') ?? '50');
      const offset = Number(request.query.get('continuationToken') ?? '0');
      asked.push(`deliveries ${id} limit=${limit} offset=${offset}`);
      const all = attempts.get(id) ?? [];
      const page = all.slice(offset, offset + limit);
      const next = offset + limit < all.length ? { continuationToken: String(offset + limit) } : {};
      return { status: 200, jsonBody: { attempts: page, ...next } };
    }),
    route('webhooksRedeliver', 'webhooks/{id}/deliveries/{deliveryId}/redeliver', 'POST', (request, id) => {
      const deliveryId = request.params.deliveryId ?? '';
      asked.push(`redeliver ${id} ${deliveryId}`);
      const rounds = (attempts.get(id) ?? []).filter((a) => a.deliveryId === deliveryId).map((a) => a.round);
      if (rounds.length === 0)
        return problem(404, 'webhook.unknown-delivery', `no delivery ${deliveryId} to ${id}`);
      return { status: 202, jsonBody: { deliveryId, round: Math.max(...rounds) + 1 } };
    }),
    route('webhooksRecover', 'webhooks/{id}/recover', 'POST', (request, id) => {
      const since = request.query.get('since') ?? '';
      asked.push(`recover ${id} since=${since}`);
      const from = Date.parse(since);
      if (Number.isNaN(from)) return problem(400, 'webhook.invalid-query', 'since: not an ISO 8601 time');
      const failed = new Set(
        (attempts.get(id) ?? [])
          .filter((a) => a.result === 'failed' && Date.parse(a.at) >= from)
          .map((a) => a.deliveryId),
      );
      return { status: 202, jsonBody: { redelivered: failed.size } };
    }),
  ];
}

/** The problem answer of `functions/problem.ts`, with codes the catalogue of this branch may not hold yet. */
const problem = (status: number, code: string, message: string): HttpResponseInit => ({
  status,
  jsonBody: { code, message },
});
