import { describeError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { backoffDelay, sleepUnlessAborted } from './backoff';
import type { CatchUpRunner } from './catch-up';
import type { BridgeConfig } from './config';
import { ConsumerSession } from './session';
import type { OnDelivery, SessionEndReason } from './session';
import type { BridgeCounters } from './stats';
import { startWatchdog } from './watchdog';

/**
 * Keeps one consumer session alive until `stopping` aborts: connect; on failure wait an exponential, capped,
 * jittered backoff and try again; once consuming, schedule the catch-up and watch for silence; when the
 * session is lost, back off and reconnect; when the watchdog recycled it, reconnect at once.
 *
 * The backoff is reset only by a session that stayed up for `STABLE_MS`: a broker that accepts connections
 * and drops them straight away (overloaded, shutting down) is retried ever more slowly, not once a second.
 */
const STABLE_MS = 30_000;

export class ConsumeLoop {
  /** The live session, if any (`stop()` shuts it down gracefully). */
  current: ConsumerSession | undefined;

  constructor(
    private readonly config: BridgeConfig,
    private readonly onDelivery: OnDelivery,
    private readonly catchUp: CatchUpRunner,
    private readonly counters: BridgeCounters,
    private readonly logger: Logger,
    private readonly stopping: AbortSignal,
  ) {}

  /** Called for each delivery of the live session (the watchdog counts it as a sign of life). */
  kick: () => void = () => undefined;

  async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping.aborted) {
      this.counters.state = 'connecting';
      let session: ConsumerSession;
      try {
        session = await ConsumerSession.open(this.config, this.onDelivery, this.logger);
      } catch (error) {
        failures += 1;
        this.counters.add('connectFailures');
        this.counters.lastError = `connect: ${describeError(error)}`;
        const delayMs = backoffDelay(this.config.reconnect, failures);
        this.logger.warn('cannot connect; retrying', { attempt: failures, delayMs, error });
        await this.wait(delayMs);
        continue;
      }
      if (this.stopping.aborted) {
        await session.close('stop');
        return;
      }
      const began = Date.now();
      const reason = await this.consume(session);
      if (Date.now() - began >= STABLE_MS) failures = 0;
      if (reason === 'lost') {
        failures += 1;
        await this.wait(backoffDelay(this.config.reconnect, failures));
      }
    }
  }

  private async consume(session: ConsumerSession): Promise<SessionEndReason> {
    this.current = session;
    this.counters.add('connects');
    this.counters.state = 'connected';
    this.counters.queue = session.queue;
    this.logger.info('consuming', { queue: session.queue, bindings: this.config.bindings.length });
    const watchdog = startWatchdog(this.config.watchdogIdleMs, (idleForMs) => {
      this.logger.warn('no delivery for too long; recycling the connection', { idleForMs });
      this.counters.add('watchdogRecycles');
      void session.close('recycle');
    });
    this.kick = watchdog.kick;
    this.catchUp.schedule(session.release);
    const end = await session.ended;
    watchdog.stop();
    this.kick = () => undefined;
    this.current = undefined;
    this.counters.queue = undefined;
    if (end.reason === 'lost') {
      this.counters.add('connectionLosses');
      this.counters.lastError = `connection lost: ${end.error ?? 'closed'}`;
      this.logger.warn('connection lost', { error: end.error });
    }
    return end.reason;
  }

  private async wait(ms: number): Promise<void> {
    this.counters.state = 'waiting';
    await sleepUnlessAborted(ms, this.stopping);
  }
}
