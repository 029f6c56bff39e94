import type {
  ServiceBusClient,
  ServiceBusSessionReceiver,
  ServiceBusSessionReceiverOptions,
} from '@azure/service-bus';
import { PipelineError } from '../../shared/errors';
import { placeOf } from './entity-address';
import type { ReceiveSource, ServiceBusPlace } from './entity-address';
import { PeekLockReceiver } from './peek-lock-receiver';
import { nextSessionWithin } from './next-session';
import { placeContext, serviceBusCall } from './service-bus-errors';

export interface SessionReceiverOptions {
  /** Renew the session lock in the background for up to this long; default 0 (renew with `renewSessionLock`). */
  readonly autoRenewLockMs?: number;
}

export interface AcceptNextSessionOptions extends SessionReceiverOptions {
  /** How long to wait for a session with messages; default, and at most, the client's `timeoutMs`. */
  readonly waitMs?: number;
}

/**
 * One session of a session entity, locked to this receiver: nobody else receives its messages until it is
 * closed or the session lock expires, which is what serialises a component's builds or a repository's
 * publishes. Settle messages as with any receiver (message locks are covered by the session lock, so a
 * message's `renewLock` does not apply: renew the session). Session state is a small JSON value kept by the
 * service with the session, e.g. a cursor that survives the next receiver.
 */
export class SessionReceiver extends PeekLockReceiver {
  private constructor(
    private readonly session: ServiceBusSessionReceiver,
    place: ServiceBusPlace,
  ) {
    super(session, place);
  }

  get sessionId(): string {
    return this.session.sessionId;
  }

  /** Until when the session is locked to this receiver. */
  get sessionLockedUntil(): Date | undefined {
    return this.session.sessionLockedUntilUtc;
  }

  /** The stored state; `undefined` when none was set (or it was set to `null`). */
  async getState(): Promise<unknown> {
    const state: unknown = await serviceBusCall('getState', this.place, () => this.session.getSessionState());
    return state ?? undefined;
  }

  /** Replaces the state with a JSON-serializable value; `null` reads back as no state (`undefined`). */
  async setState(state: unknown): Promise<void> {
    let json: string | undefined;
    try {
      json = JSON.stringify(state);
    } catch {
      json = undefined;
    }
    if (json === undefined) {
      throw PipelineError.permanent('servicebus.invalid-request', 'session state is not JSON-serializable', {
        ...placeContext(this.place),
        operation: 'setState',
      });
    }
    const bytes = Buffer.from(json, 'utf8');
    await serviceBusCall('setState', this.place, () => this.session.setSessionState(bytes));
  }

  /** Extends the session lock by the entity's lock duration; returns the new `sessionLockedUntil`. */
  renewSessionLock(): Promise<Date> {
    return serviceBusCall('renewSessionLock', this.place, () => this.session.renewSessionLock());
  }

  /** Locks session `sessionId` (waiting for no messages); `servicebus.session-locked` when another holds it. */
  static async accept(
    client: ServiceBusClient,
    source: ReceiveSource,
    sessionId: string,
    options: SessionReceiverOptions = {},
  ): Promise<SessionReceiver> {
    const place = placeOf(source, { sessionId });
    const sdkOptions = sessionOptions(options);
    const session = await serviceBusCall('acceptSession', place, () =>
      'subscription' in source
        ? client.acceptSession(source.topic, source.subscription, sessionId, sdkOptions)
        : client.acceptSession(source.queue, sessionId, sdkOptions),
    );
    return new SessionReceiver(session, place);
  }

  /**
   * Locks the next session that has messages and no other receiver, waiting up to `waitMs` for one;
   * `undefined` when none turned up in time, which for a polling worker is the normal idle case.
   */
  static async acceptNext(
    client: ServiceBusClient,
    source: ReceiveSource,
    options: AcceptNextSessionOptions = {},
  ): Promise<SessionReceiver | undefined> {
    const place = placeOf(source);
    const sdkOptions = sessionOptions(options);
    const session = await nextSessionWithin(
      () =>
        'subscription' in source
          ? client.acceptNextSession(source.topic, source.subscription, sdkOptions)
          : client.acceptNextSession(source.queue, sdkOptions),
      options.waitMs,
      place,
    );
    return session && new SessionReceiver(session, { ...place, sessionId: session.sessionId });
  }
}

function sessionOptions(options: SessionReceiverOptions): ServiceBusSessionReceiverOptions {
  return { receiveMode: 'peekLock', maxAutoLockRenewalDurationInMs: options.autoRenewLockMs ?? 0 };
}

export const acceptSession = SessionReceiver.accept.bind(SessionReceiver);
export const acceptNextSession = SessionReceiver.acceptNext.bind(SessionReceiver);
