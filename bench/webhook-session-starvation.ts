import { ServiceBusClient } from '@azure/service-bus';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { readHostConfig } from '../hosts/local/functions-host/host-config';
import { projectRoot } from '../infra/os/project-paths';
import { TopicEventPublisher } from '../infra/servicebus/topic-event-publisher';
import { round } from '../testing/measure';
import { startBenchPipeline } from '../testing/pipeline/bench-pipeline';
import type { TestReceiver } from '../testing/webhooks/receivers';
import { startHangingReceiver, startHealthyReceiver } from './webhooks/arrival-receivers';
import { benchEvent } from './webhooks/bench-event';
import { BenchWebhookApi } from './webhooks/webhook-api';

/** One case: so many hanging endpoints with a backlog, then one healthy endpoint's events. */
export interface StarvationCase {
  readonly hangingEndpoints: number;
  /** Publish to arrival at the healthy endpoint, ms, per probe event; null: not within `waitMs`. */
  readonly healthyLatencyMs: readonly (number | null)[];
}

export interface SessionStarvation {
  /** `maxConcurrentSessions` of host.json: the session workers of `webhookDeliver`. */
  readonly maxConcurrentSessions: number;
  readonly sessionIdleTimeoutMs: number;
  readonly backlogPerHangingEndpoint: number;
  readonly waitMs: number;
  readonly cases: readonly StarvationCase[];
}

/**
 * The limit of "a slow endpoint holds only its own session": `webhookDeliver` has `maxConcurrentSessions`
 * session workers, and a worker keeps its session until the session is idle for `sessionIdleTimeout` (1 min).
 * An endpoint that never answers, with events waiting (each attempt 15 s, its retries scheduled back into
 * the same session), is never idle, so it keeps its worker. With one hanging endpoint fewer than there are
 * workers a healthy endpoint still gets one; with as many, it waits for a worker. Each case is a fresh
 * pipeline: the hanging endpoints get their backlog first, then the healthy one is enabled and sent
 * `probes` events one at a time; the first that does not arrive within `waitMs` ends the case.
 */
export async function measureSessionStarvation(
  options: { retrySchedule: string; probes?: number; waitMs?: number; backlog?: number },
  progress: (line: string) => void = () => undefined,
): Promise<SessionStarvation> {
  const host = readHostConfig(join(projectRoot(), 'host.json')).serviceBus;
  const probes = options.probes ?? 3;
  const waitMs = options.waitMs ?? 45_000;
  const backlog = options.backlog ?? 3;
  const cases: StarvationCase[] = [];
  for (const hangingEndpoints of [host.maxConcurrentSessions - 1, host.maxConcurrentSessions]) {
    progress(`session starvation: ${hangingEndpoints} hanging endpoints`);
    const healthy = await startHealthyReceiver();
    const hanging: TestReceiver[] = await Promise.all(
      Array.from({ length: hangingEndpoints }, () => startHangingReceiver()),
    );
    const pipeline = await startBenchPipeline({
      AZL_PLANNER_DEBOUNCE_SECONDS: '0',
      AZL_PLANNER_QUIET_SECONDS: '0',
      AZL_WEBHOOK_RETRY_SCHEDULE: options.retrySchedule,
    });
    const client = new ServiceBusClient(pipeline.endpoints.serviceBusConnectionString);
    const publisher = new TopicEventPublisher(client, 'webhook-bench');
    try {
      const api = new BenchWebhookApi(pipeline.endpoints);
      const healthyId = await api.subscribe(`${healthy.receiver.origin}/hook`, 'healthy');
      for (const [index, receiver] of hanging.entries())
        await api.setEnabled(await api.subscribe(`${receiver.origin}/hook`, `hanging ${index + 1}`), true);
      await publisher.publish(
        Array.from({ length: backlog }, (_, index) =>
          benchEvent(`starve-${hangingEndpoints}-backlog-${index}`),
        ),
      );
      // Every hanging endpoint has its first attempt in flight: each holds a worker.
      const deadline = Date.now() + 60_000;
      while (hanging.some((receiver) => receiver.received.length === 0) && Date.now() < deadline)
        await sleep(50);
      await api.setEnabled(healthyId, true);
      const latencies: (number | null)[] = [];
      for (let index = 0; index < probes; index += 1) {
        const event = benchEvent(`starve-${hangingEndpoints}-probe-${index}`);
        const publishedAt = performance.now();
        await publisher.publish([event]);
        while (!healthy.arrivals.has(event.id) && performance.now() - publishedAt < waitMs) await sleep(10);
        const arrived = healthy.arrivals.get(event.id);
        latencies.push(arrived === undefined ? null : round(arrived - publishedAt, 1));
        if (arrived === undefined) break;
        await sleep(100);
      }
      cases.push({ hangingEndpoints, healthyLatencyMs: latencies });
      progress(
        `  healthy endpoint: ${latencies.map((ms) => (ms === null ? `> ${waitMs}` : ms)).join(', ')} ms`,
      );
    } finally {
      await publisher.close().catch(() => undefined);
      await client.close().catch(() => undefined);
      await pipeline.stop();
      await Promise.all([healthy.receiver, ...hanging].map((receiver) => receiver.close()));
    }
  }
  return {
    maxConcurrentSessions: host.maxConcurrentSessions,
    sessionIdleTimeoutMs: host.sessionIdleTimeoutMs,
    backlogPerHangingEndpoint: backlog,
    waitMs,
    cases,
  };
}
