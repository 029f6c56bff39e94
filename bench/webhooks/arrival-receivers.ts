import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { startReceiver } from '../../testing/webhooks/receivers';
import type { TestReceiver } from '../../testing/webhooks/receivers';

/**
 * Loopback receivers for the webhook delivery benchmark (testing/webhooks/receivers.ts underneath: real HTTP
 * servers on 127.0.0.1). Times are `performance.now()` of this process, the clock the benchmark also reads
 * when it publishes, so publish-to-arrival needs no clock agreement with the pipeline.
 */
export interface ArrivalReceiver {
  readonly receiver: TestReceiver;
  /** When each `webhook-id` (the event id) first arrived: the whole body read. */
  readonly arrivals: Map<string, number>;
  /** Requests whose `webhook-id` had already arrived (a repeat of a delivered event). */
  duplicates(): number;
}

/** Answers 204 at once and records when each event first arrived. */
export async function startHealthyReceiver(): Promise<ArrivalReceiver> {
  const arrivals = new Map<string, number>();
  let duplicates = 0;
  const receiver = await startReceiver((request, response) => {
    const at = performance.now();
    const id = String(request.headers['webhook-id'] ?? '');
    if (arrivals.has(id)) duplicates += 1;
    else arrivals.set(id, at);
    response.writeHead(204).end();
  });
  return {
    receiver,
    arrivals,
    duplicates: () => duplicates,
  };
}

/**
 * Never answers: each attempt ends at the delivery's 15 s limit. The held responses are destroyed when the
 * receiver closes (its close ends every connection).
 */
export async function startHangingReceiver(): Promise<TestReceiver> {
  const held: ServerResponse[] = [];
  return startReceiver((_request, response) => {
    held.push(response);
  });
}

/** Answers `503 Service Unavailable` (no Retry-After) after `delayMs`: slow and failing. */
export async function startSlowFailingReceiver(delayMs: number): Promise<TestReceiver> {
  return startReceiver((_request, response) => {
    setTimeout(() => {
      if (!response.destroyed) response.writeHead(503).end('busy');
    }, delayMs);
  });
}
