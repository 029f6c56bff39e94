import { ServiceBusClient } from '@azure/service-bus';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { TopicEventPublisher } from '../infra/servicebus/topic-event-publisher';
import { round } from '../testing/measure';
import { waitFor } from '../testing/wait-for';
import { startBenchPipeline } from '../testing/pipeline/bench-pipeline';
import type { TestReceiver } from '../testing/webhooks/receivers';
import { median, spread } from './pipeline/stats';
import type { Spread } from './pipeline/stats';
import type { ArrivalReceiver } from './webhooks/arrival-receivers';
import {
  startHangingReceiver,
  startHealthyReceiver,
  startSlowFailingReceiver,
} from './webhooks/arrival-receivers';
import { BenchWebhookApi } from './webhooks/webhook-api';
import { benchEvent } from './webhooks/bench-event';

/**
 * Which endpoints are enabled: one healthy; four healthy; four healthy plus a hanging one and a slow 503 one;
 * four healthy again once the bad ones are disabled and their backlog skipped (the control: what drifted
 * meanwhile, the machine's load or the pipeline's state, without the bad endpoints).
 */
export type Configuration = 'one' | 'four' | 'four-with-bad' | 'four-after-bad';
export const configurations: readonly Configuration[] = ['one', 'four', 'four-with-bad', 'four-after-bad'];

export interface WebhookBenchSettings {
  /** The bursts each configuration runs, in order: so many events published at once (one `sendBatch`). */
  readonly burstSizes: readonly number[];
  /** Events published one at a time, each after the previous one arrived everywhere, for the latency figure. */
  readonly pacedEvents: number;
  /** Events delivered to the four healthy endpoints before the first configuration, unmeasured. */
  readonly warmUpEvents: number;
  /** The wait after disabling the bad endpoints, for their backlog to be skipped, before `four-after-bad`. */
  readonly drainMs: number;
  /** Fresh pipelines; each runs the configurations in order. */
  readonly repetitions: number;
  /** `AZL_WEBHOOK_RETRY_SCHEDULE`: short, so the bad endpoints keep failing during the measurement. */
  readonly retrySchedule: string;
  /** How long the failing endpoint takes to answer its 503. */
  readonly slowFailureDelayMs: number;
}

export const defaultWebhookBenchSettings: WebhookBenchSettings = {
  burstSizes: [200, 1000],
  pacedEvents: 30,
  warmUpEvents: 200,
  drainMs: 30_000,
  repetitions: 2,
  retrySchedule: Array.from({ length: 20 }, () => '1s').join(','),
  slowFailureDelayMs: 2_000,
};

/** One configuration on one pipeline. Latencies in ms; only the healthy endpoints are measured. */
export interface ConfigurationRun {
  readonly configuration: Configuration;
  readonly repetition: number;
  readonly healthyEndpoints: number;
  readonly badEndpoints: number;
  readonly bursts: readonly BurstFigures[];
  readonly paced: {
    readonly events: number;
    /** Publish to arrival, every (event, healthy endpoint). */
    readonly latency: Spread;
    /** Publish to the event's first arrival at any healthy endpoint. */
    readonly firstDelivery: Spread;
  };
  /** Requests a healthy endpoint got again for an event it had already accepted. */
  readonly duplicates: number;
  /** The machine's 1-minute load average when the configuration ended (the machine is shared). */
  readonly loadAverage: number;
  /** Requests the bad endpoints got during this configuration: they were really being tried meanwhile. */
  readonly badEndpointRequests: { readonly hanging: number; readonly slowFailing: number };
}

/** One burst: `events` published in one batch, delivered to every healthy endpoint. */
export interface BurstFigures {
  readonly events: number;
  readonly deliveries: number;
  /** First send of the batch to the last arrival at a healthy endpoint. */
  readonly durationMs: number;
  readonly deliveriesPerSecond: number;
  /** First send to the first arrival anywhere. */
  readonly firstArrivalMs: number;
  /** Publish-to-arrival over the burst: mostly the wait behind the events queued before it. */
  readonly latency: Spread;
}

/** The medians over the repetitions of one configuration. */
export interface ConfigurationSummary {
  readonly configuration: Configuration;
  readonly runs: number;
  /** Per burst size (the key). */
  readonly deliveriesPerSecond: Readonly<Record<string, number>>;
  readonly burstDurationMs: Readonly<Record<string, number>>;
  readonly pacedLatency: { readonly p50: number; readonly p95: number; readonly max: number };
  readonly firstDelivery: { readonly p50: number; readonly p95: number; readonly max: number };
}

export interface WebhookDeliveryBench {
  readonly settings: WebhookBenchSettings & { readonly pipeline: Readonly<Record<string, string>> };
  readonly runs: readonly ConfigurationRun[];
  readonly summary: readonly ConfigurationSummary[];
  /**
   * `four-with-bad` over `four` (before) and over `four-after-bad` (after), of the medians: 1 is no
   * difference; > 1 latency is worse, < 1 throughput is.
   */
  readonly badEndpointEffect: { readonly versusBefore: EffectRatios; readonly versusAfter: EffectRatios };
  readonly loadAverage: { readonly start: number; readonly end: number };
}

export interface EffectRatios {
  readonly deliveriesPerSecond: Readonly<Record<string, number>>;
  readonly pacedLatencyP50: number;
  readonly pacedLatencyP95: number;
}

interface Receivers {
  readonly healthy: readonly ArrivalReceiver[];
  readonly hanging: TestReceiver;
  readonly slowFailing: TestReceiver;
}

/**
 * Webhook delivery on the local pipeline (`azl-rebuilder start --no-demo`: Azurite, the local broker, the
 * local functions host, the same handlers as Azure) to real loopback receivers. Events go straight onto the
 * `events` topic with the real `TopicEventPublisher` (`build.succeeded` of distinct components), so what is
 * measured is fan-out (`webhookFanOut`) plus one attempt per endpoint (`webhookDeliver`, a session per
 * endpoint). Each repetition is a fresh pipeline with six endpoints subscribed to everything, enabled per
 * configuration, so the sessions stay the same six (no idle session of an earlier configuration holds a
 * session worker).
 */
export async function measureWebhookDelivery(
  settings: WebhookBenchSettings = defaultWebhookBenchSettings,
  progress: (line: string) => void = () => undefined,
): Promise<WebhookDeliveryBench> {
  const loadStart = loadavg()[0] ?? 0;
  const pipelineSettings = {
    AZL_PLANNER_DEBOUNCE_SECONDS: '0',
    AZL_PLANNER_QUIET_SECONDS: '0',
    AZL_WEBHOOK_RETRY_SCHEDULE: settings.retrySchedule,
  };
  const runs: ConfigurationRun[] = [];
  let reportedSettings: Readonly<Record<string, string>> = pipelineSettings;
  for (let repetition = 1; repetition <= settings.repetitions; repetition += 1) {
    const receivers: Receivers = {
      healthy: await Promise.all([1, 2, 3, 4].map(() => startHealthyReceiver())),
      hanging: await startHangingReceiver(),
      slowFailing: await startSlowFailingReceiver(settings.slowFailureDelayMs),
    };
    progress(`repetition ${repetition}: starting the pipeline`);
    const pipeline = await startBenchPipeline(pipelineSettings);
    reportedSettings = pipeline.settings;
    const client = new ServiceBusClient(pipeline.endpoints.serviceBusConnectionString);
    const publisher = new TopicEventPublisher(client, 'webhook-bench');
    try {
      const api = new BenchWebhookApi(pipeline.endpoints);
      const healthyIds: string[] = [];
      for (const [index, healthy] of receivers.healthy.entries())
        healthyIds.push(await api.subscribe(`${healthy.receiver.origin}/hook`, `healthy ${index + 1}`));
      const badIds = [
        await api.subscribe(`${receivers.hanging.origin}/hook`, 'never answers'),
        await api.subscribe(`${receivers.slowFailing.origin}/hook`, 'slow 503'),
      ];
      // Unmeasured: the pipeline's code paths compiled and its tables made, so the first configuration
      // measured does not pay for what the later ones get free.
      for (const id of healthyIds) await api.setEnabled(id, true);
      await deliverEverywhere(publisher, receivers.healthy, `r${repetition}-warm-up`, settings.warmUpEvents);
      for (const configuration of configurations) {
        const healthyCount = configuration === 'one' ? 1 : 4;
        for (const [index, id] of healthyIds.entries()) await api.setEnabled(id, index < healthyCount);
        for (const id of badIds) await api.setEnabled(id, configuration === 'four-with-bad');
        if (configuration === 'four-after-bad') await sleep(settings.drainMs);
        const badBefore = [receivers.hanging.received.length, receivers.slowFailing.received.length];
        const run = await measureConfiguration({
          configuration,
          repetition,
          publisher,
          healthy: receivers.healthy.slice(0, healthyCount),
          badEndpoints: configuration === 'four-with-bad' ? badIds.length : 0,
          settings,
        });
        runs.push({
          ...run,
          loadAverage: round(loadavg()[0] ?? 0, 2),
          badEndpointRequests: {
            hanging: receivers.hanging.received.length - badBefore[0]!,
            slowFailing: receivers.slowFailing.received.length - badBefore[1]!,
          },
        });
        progress(
          `  ${configuration}: ${run.bursts.map((burst) => `${burst.events} events ${burst.deliveriesPerSecond} deliveries/s`).join(', ')}, ` +
            `paced p50 ${run.paced.latency.p50} ms, p95 ${run.paced.latency.p95} ms`,
        );
      }
    } finally {
      await publisher.close().catch(() => undefined);
      await client.close().catch(() => undefined);
      await pipeline.stop();
      await Promise.all(
        [
          ...receivers.healthy.map((healthy) => healthy.receiver),
          receivers.hanging,
          receivers.slowFailing,
        ].map((receiver) => receiver.close()),
      );
    }
  }
  const summary = configurations.map((configuration) =>
    summarise(
      configuration,
      runs.filter((run) => run.configuration === configuration),
      settings.burstSizes,
    ),
  );
  const [before, withBad, after] = [summary[1]!, summary[2]!, summary[3]!];
  return {
    settings: { ...settings, pipeline: reportedSettings },
    runs,
    summary,
    badEndpointEffect: {
      versusBefore: ratios(withBad, before, settings.burstSizes),
      versusAfter: ratios(withBad, after, settings.burstSizes),
    },
    loadAverage: { start: round(loadStart, 2), end: round(loadavg()[0] ?? 0, 2) },
  };
}

function ratios(
  measured: ConfigurationSummary,
  reference: ConfigurationSummary,
  burstSizes: readonly number[],
): EffectRatios {
  return {
    deliveriesPerSecond: Object.fromEntries(
      burstSizes.map((size) => [
        String(size),
        round(measured.deliveriesPerSecond[size]! / reference.deliveriesPerSecond[size]!, 3),
      ]),
    ),
    pacedLatencyP50: round(measured.pacedLatency.p50 / reference.pacedLatency.p50, 3),
    pacedLatencyP95: round(measured.pacedLatency.p95 / reference.pacedLatency.p95, 3),
  };
}

async function measureConfiguration(context: {
  configuration: Configuration;
  repetition: number;
  publisher: TopicEventPublisher;
  healthy: readonly ArrivalReceiver[];
  badEndpoints: number;
  settings: WebhookBenchSettings;
}): Promise<Omit<ConfigurationRun, 'badEndpointRequests' | 'loadAverage'>> {
  const { configuration, repetition, publisher, healthy, settings } = context;
  const label = `r${repetition}-${configuration}`;
  const everywhere = (ids: readonly string[]) => () =>
    healthy.every((receiver) => ids.every((id) => receiver.arrivals.has(id)));

  // Warm-up: every enabled endpoint's session accepted and its connection open; the bad ones start failing.
  const warmUp = benchEvent(`${label}-warm-up`);
  await publisher.publish([warmUp]);
  await waitFor(`${label}: the warm-up event`, everywhere([warmUp.id]), polled(60_000));
  if (context.badEndpoints > 0) await sleep(1_000);

  // Bursts: every event of one in one batch.
  const bursts: BurstFigures[] = [];
  for (const size of settings.burstSizes) {
    const burst = Array.from({ length: size }, (_, index) => benchEvent(`${label}-burst${size}-${index}`));
    const burstIds = burst.map((event) => event.id);
    const sentAt = performance.now();
    await publisher.publish(burst);
    await waitFor(`${label}: the burst of ${size}`, everywhere(burstIds), polled(600_000));
    const arrivals = healthy.flatMap((receiver) => burstIds.map((id) => receiver.arrivals.get(id)!));
    const durationMs = Math.max(...arrivals) - sentAt;
    bursts.push({
      events: size,
      deliveries: arrivals.length,
      durationMs: round(durationMs, 1),
      deliveriesPerSecond: round((arrivals.length / durationMs) * 1000, 1),
      firstArrivalMs: round(Math.min(...arrivals) - sentAt, 1),
      latency: spread(arrivals.map((at) => at - sentAt)),
    });
  }

  // Paced: one event at a time, the next once the previous arrived everywhere.
  const latencies: number[] = [];
  const firstDeliveries: number[] = [];
  for (let index = 0; index < settings.pacedEvents; index += 1) {
    await sleep(100);
    const event = benchEvent(`${label}-paced-${index}`);
    const publishedAt = performance.now();
    await publisher.publish([event]);
    await waitFor(`${label}: paced event ${index}`, everywhere([event.id]), polled(60_000));
    const arrivals = healthy.map((receiver) => receiver.arrivals.get(event.id)! - publishedAt);
    latencies.push(...arrivals);
    firstDeliveries.push(Math.min(...arrivals));
  }

  return {
    configuration,
    repetition,
    healthyEndpoints: healthy.length,
    badEndpoints: context.badEndpoints,
    bursts,
    paced: {
      events: settings.pacedEvents,
      latency: spread(latencies),
      firstDelivery: spread(firstDeliveries),
    },
    duplicates: healthy.reduce((sum, receiver) => sum + receiver.duplicates(), 0),
  };
}

async function deliverEverywhere(
  publisher: TopicEventPublisher,
  healthy: readonly ArrivalReceiver[],
  label: string,
  events: number,
): Promise<void> {
  const batch = Array.from({ length: events }, (_, index) => benchEvent(`${label}-${index}`));
  await publisher.publish(batch);
  await waitFor(
    `${label}: ${events} events`,
    () => healthy.every((receiver) => batch.every((event) => receiver.arrivals.has(event.id))),
    polled(600_000),
  );
}

function summarise(
  configuration: Configuration,
  runs: readonly ConfigurationRun[],
  burstSizes: readonly number[],
): ConfigurationSummary {
  const of = (pick: (run: ConfigurationRun) => number) => round(median(runs.map(pick)), 1);
  const perBurst = (pick: (burst: BurstFigures) => number) =>
    Object.fromEntries(
      burstSizes.map((size) => [
        String(size),
        of((run) => pick(run.bursts.find((burst) => burst.events === size)!)),
      ]),
    );
  return {
    configuration,
    runs: runs.length,
    deliveriesPerSecond: perBurst((burst) => burst.deliveriesPerSecond),
    burstDurationMs: perBurst((burst) => burst.durationMs),
    pacedLatency: {
      p50: of((run) => run.paced.latency.p50),
      p95: of((run) => run.paced.latency.p95),
      max: of((run) => run.paced.latency.max),
    },
    firstDelivery: {
      p50: of((run) => run.paced.firstDelivery.p50),
      p95: of((run) => run.paced.firstDelivery.p95),
      max: of((run) => run.paced.firstDelivery.max),
    },
  };
}

/** Arrivals are timed by the receivers themselves; polling often only ends the wait sooner. */
const polled = (timeoutMs: number) => ({ timeoutMs, pollMs: 10 });
