import type { IngestSink } from '../../shared/fedora/ingest-port';
import type { Logger } from '../../shared/logger';
import { CatchUpRunner } from './catch-up';
import type { CatchUp } from './catch-up';
import { parseBridgeConfig } from './config';
import type { BridgeConfig, BridgeConfigInput } from './config';
import { redactedUrl } from './connect';
import { ConsumeLoop } from './consume-loop';
import { DeliveryHandler } from './delivery';
import { InFlight } from './in-flight';
import type { OnDelivery } from './session';
import { BridgeCounters } from './stats';
import type { BridgeStats } from './stats';
import { within } from './timeouts';

/**
 * The Fedora Messaging → IngestSink bridge: a long-running consumer of the public broker.
 *
 * Connect and consume (`session.ts`), kept alive with backoff and a watchdog (`consume-loop.ts`); the catch-up
 * after every (re)connect (`catch-up.ts`); each delivery converted, submitted, then acked (`delivery.ts`).
 * Configuration errors throw at once (`fedora-bridge.invalid-config`). Connection failures — refused
 * credentials and unreadable TLS files included — are logged and retried for ever: the bridge is a service,
 * and the broker or the files may come back; `stats().lastError` says what is wrong meanwhile.
 *
 * `stop()` cancels the consumer, waits (at most `stopTimeoutMs`) for in-flight submits to finish and be acked
 * and for a running catch-up (whose signal is aborted), then closes the connection. Idempotent.
 */
export interface BridgeDependencies {
  readonly sink: IngestSink;
  /** The catch-up, run after every (re)connect once the consumer is live; see `catch-up.ts`. */
  readonly onConnected: CatchUp;
  readonly logger: Logger;
}

export interface BridgeHandle {
  stop(): Promise<void>;
  stats(): BridgeStats;
}

export function startBridge(input: BridgeConfig | BridgeConfigInput, deps: BridgeDependencies): BridgeHandle {
  const config = parseBridgeConfig(input);
  const logger = deps.logger.child({ component: 'fedora-bridge' });
  const counters = new BridgeCounters();
  const inFlight = new InFlight();
  const handler = new DeliveryHandler(deps.sink, config.submitRetry, counters, logger);
  const catchUp = new CatchUpRunner(deps.onConnected, config.reconnect, counters, logger);
  const stopping = new AbortController();

  const onDelivery: OnDelivery = (delivery, context) => {
    loop.kick();
    counters.inFlight += 1;
    const work = handler
      .handle(delivery, context)
      .catch((error: unknown) => logger.error('delivery handling failed unexpectedly', { error }))
      .finally(() => (counters.inFlight -= 1));
    inFlight.track(work);
  };
  const loop = new ConsumeLoop(config, onDelivery, catchUp, counters, logger, stopping.signal);
  logger.info('starting', { broker: redactedUrl(config), exchange: config.exchange });
  const running = loop.run().catch((error: unknown) => logger.error('bridge loop failed', { error }));

  const stop = async (): Promise<void> => {
    counters.state = 'stopping';
    stopping.abort();
    const deadline = Date.now() + config.stopTimeoutMs;
    const left = (): number => Math.max(0, deadline - Date.now());
    const drain = async (): Promise<void> => {
      if (!(await inFlight.drain(left()))) {
        logger.warn('stopping with deliveries still in flight', { inFlight: inFlight.size });
      }
    };
    await loop.current?.shutdown(drain);
    await running;
    await drain();
    if ((await within(catchUp.idle(), left())) === 'timeout') logger.warn('stopping during a catch-up');
    counters.state = 'stopped';
    logger.info('stopped', { ...counters.snapshot() });
  };
  let stopped: Promise<void> | undefined;
  return { stop: () => (stopped ??= stop()), stats: () => counters.snapshot() };
}
