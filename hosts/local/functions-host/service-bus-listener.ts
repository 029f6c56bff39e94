import type { ServiceBusClient, ServiceBusReceiver, ServiceBusSessionReceiver } from '@azure/service-bus';
import type { ServiceBusFunction } from '../../../functions/table';
import type { HostConfig } from './host-config';
import { describeError } from '../../../shared/errors';
import type { Logger } from '../../../shared/logger';
import { invokeForMessage } from './service-bus-invoker';
import { withoutLibraryTracing } from '../../../infra/telemetry/suppress-library-tracing';

export interface ServiceBusListener {
  stop(): Promise<void>;
}

export interface ListenerOptions {
  readonly client: ServiceBusClient;
  readonly hostConfig: HostConfig;
  readonly logger: Logger;
}

/** Starts delivering an entity's messages to a function, with the concurrency host.json allows. */
export function listen(fn: ServiceBusFunction, options: ListenerOptions): ServiceBusListener {
  // The function's own CONSUMER span is each invocation's request: the SDK's receive spans would repeat it.
  return withoutLibraryTracing(() =>
    fn.isSessionsEnabled ? listenToSessions(fn, options) : listenToEntity(fn, options),
  );
}

function receiverFor(fn: ServiceBusFunction, options: ListenerOptions): ServiceBusReceiver {
  const settings = {
    maxAutoLockRenewalDurationInMs: options.hostConfig.serviceBus.maxAutoLockRenewalDurationMs,
  };
  return fn.kind === 'serviceBusQueue'
    ? options.client.createReceiver(fn.queueName, settings)
    : options.client.createReceiver(fn.topicName, fn.subscriptionName, settings);
}

/** Non-session entities: the SDK's streaming receiver, `maxConcurrentCalls` invocations at a time. */
function listenToEntity(fn: ServiceBusFunction, options: ListenerOptions): ServiceBusListener {
  const receiver = receiverFor(fn, options);
  const logger = options.logger.child({ functionName: fn.name });
  const running = new Set<Promise<unknown>>();
  const subscription = receiver.subscribe(
    {
      processMessage: async (message) => {
        const invocation = invokeForMessage(fn, receiver, message, {
          logger,
          functionTimeoutMs: options.hostConfig.functionTimeoutMs,
        });
        running.add(invocation);
        await invocation.finally(() => running.delete(invocation));
      },
      processError: async ({ error }) =>
        logger.warn('Service Bus receive error', { error: describeError(error) }),
    },
    { autoCompleteMessages: false, maxConcurrentCalls: options.hostConfig.serviceBus.maxConcurrentCalls },
  );
  return {
    stop: async () => {
      await subscription.close();
      await Promise.allSettled([...running]);
      await receiver.close();
    },
  };
}

/**
 * Session entities: up to `maxConcurrentSessions` workers, each holding one session and invoking the function
 * for its messages one at a time, in order (MaxConcurrentCallsPerSession = 1, as on the Functions host). A
 * session idle for `sessionIdleTimeout` is released so that another can be served.
 */
function listenToSessions(fn: ServiceBusFunction, options: ListenerOptions): ServiceBusListener {
  const abort = new AbortController();
  const active = new Set<ServiceBusSessionReceiver>();
  const logger = options.logger.child({ functionName: fn.name });
  const { maxConcurrentSessions, sessionIdleTimeoutMs, maxAutoLockRenewalDurationMs } =
    options.hostConfig.serviceBus;
  const accept = (): Promise<ServiceBusSessionReceiver> => {
    const settings = {
      maxAutoLockRenewalDurationInMs: maxAutoLockRenewalDurationMs,
      abortSignal: abort.signal,
    };
    return fn.kind === 'serviceBusQueue'
      ? options.client.acceptNextSession(fn.queueName, settings)
      : options.client.acceptNextSession(fn.topicName, fn.subscriptionName, settings);
  };
  const worker = async (): Promise<void> => {
    while (!abort.signal.aborted) {
      let session: ServiceBusSessionReceiver;
      try {
        session = await accept();
      } catch (error) {
        if (!abort.signal.aborted && !isNoSessionAvailable(error)) {
          logger.warn('could not accept a session', { error: describeError(error) });
          await pause(1_000, abort.signal);
        }
        continue;
      }
      active.add(session);
      try {
        await drainSession(fn, session, { ...options, logger }, sessionIdleTimeoutMs, abort.signal);
      } catch (error) {
        if (!abort.signal.aborted) logger.warn('session receive failed', { error: describeError(error) });
      } finally {
        active.delete(session);
        await session.close().catch(() => undefined);
      }
    }
  };
  const workers = Array.from({ length: maxConcurrentSessions }, () => worker());
  return {
    stop: async () => {
      abort.abort();
      // Closing interrupts a worker waiting for its session's next message. A worker waiting for a session
      // cannot be interrupted (the SDK ignores the abort signal while the link attaches, up to its minute-long
      // timeout); it holds no message, so stop waits for it briefly and leaves it to the client's close.
      await Promise.allSettled([...active].map((session) => session.close()));
      await Promise.race([Promise.allSettled(workers), pause(STOP_GRACE_MS, new AbortController().signal)]);
    },
  };
}

async function drainSession(
  fn: ServiceBusFunction,
  session: ServiceBusSessionReceiver,
  options: ListenerOptions,
  idleMs: number,
  signal: AbortSignal,
): Promise<void> {
  const logger = options.logger.child({ sessionId: session.sessionId });
  while (!signal.aborted) {
    const [message] = await session.receiveMessages(1, { maxWaitTimeInMs: idleMs });
    if (!message) return;
    await invokeForMessage(fn, session, message, {
      logger,
      functionTimeoutMs: options.hostConfig.functionTimeoutMs,
    });
  }
}

/** How long `stop` waits for workers still waiting for a session. */
const STOP_GRACE_MS = 1_000;

function isNoSessionAvailable(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return (
    code === 'ServiceTimeout' || code === 'SessionCannotBeLocked' || (error as Error).name === 'AbortError'
  );
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
