import type { InvocationContext } from '@azure/functions';
import type { z } from 'zod';
import { PipelineError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import type { QueueDefinition, TopicDefinition } from '../shared/messaging/entities';
import type { Services, ServicesProvider } from '../shared/services';
import { invocationLogger } from './invocation-logger';
import { readMessage } from './message-input';
import { messageMetadata } from './message-metadata';
import type { MessageMetadata } from './message-metadata';
import type { ServiceBusQueueFunction, ServiceBusTopicFunction } from './table';
import { serviceBusAttributes, serviceBusSpanName } from '../shared/telemetry/messaging-attributes';
import type { StageSpanOptions } from '../shared/telemetry/pipeline-telemetry';
import { parseTraceparent, traceContextOfProperties } from '../shared/telemetry/trace-context';

/** The app-setting prefix of the namespace connection every Service Bus trigger uses. */
export const SERVICE_BUS_CONNECTION = 'ServiceBusConnection';

/** A function on a queue of `shared/messaging/entities.ts`. */
export interface QueueTrigger {
  readonly name: string;
  readonly queue: QueueDefinition;
}

/** A function on one subscription of a topic of `shared/messaging/entities.ts`. */
export interface SubscriptionTrigger<T extends TopicDefinition = TopicDefinition> {
  readonly name: string;
  readonly topic: T;
  readonly subscription: T['subscriptions'][number]['name'];
}

/** What a message handler gets besides the parsed body. */
export interface MessageInvocation {
  readonly services: Services;
  /** The services' logger bound to the function, the invocation and the message (see `invocationLogger`). */
  readonly logger: Logger;
  readonly metadata: MessageMetadata;
}

export type MessageHandler<T> = (body: T, invocation: MessageInvocation) => Promise<void>;

/**
 * A Service Bus triggered function of the table, from its entity, the schema of its messages and what to do
 * with one. The trigger (queue, or topic and subscription; session flag; connection) is the entity's own
 * definition, so the function cannot listen differently from how the entity is declared. Each invocation
 * parses the body (a body that does not fit is recorded in the failure log and refused with a permanent
 * `message.invalid`), binds a logger to the message and hands both to `handle`. A throw from `handle`
 * abandons the message for redelivery, as the host does with any failed invocation.
 *
 * Telemetry: each invocation records the message's queue wait and runs in a `process <entity>` span whose
 * parent is the message's W3C trace context (`traceparent`, else `Diagnostic-Id`), so one trace follows a
 * Fedora message through every queue. Where the Functions host already opened the invocation's request (it
 * passes its context as `context.traceContext`: the Azure host, see host.json), the span is an INTERNAL child
 * of that request instead of a second CONSUMER span, so App Insights counts each invocation once; the host
 * itself parents its request on the message's `Diagnostic-Id`. The local host passes no context: there the
 * CONSUMER span is the request. A failure on the message's last delivery is counted as dead-lettered.
 */
export function serviceBusFunction<S extends z.ZodType>(
  trigger: QueueTrigger,
  schema: S,
  handle: MessageHandler<z.infer<S>>,
): (services: ServicesProvider) => ServiceBusQueueFunction;
export function serviceBusFunction<S extends z.ZodType, T extends TopicDefinition>(
  trigger: SubscriptionTrigger<T>,
  schema: S,
  handle: MessageHandler<z.infer<S>>,
): (services: ServicesProvider) => ServiceBusTopicFunction;
export function serviceBusFunction<S extends z.ZodType>(
  trigger: QueueTrigger | SubscriptionTrigger,
  schema: S,
  handle: MessageHandler<z.infer<S>>,
): (services: ServicesProvider) => ServiceBusQueueFunction | ServiceBusTopicFunction {
  const { entity, binding, maxDeliveryCount } = bindingOf(trigger);
  return (services) => ({
    ...binding,
    name: trigger.name,
    connection: SERVICE_BUS_CONNECTION,
    handler: async (message: unknown, context: InvocationContext): Promise<void> => {
      const app = await services();
      const metadata = messageMetadata(context);
      const triggerMetadata = context.triggerMetadata ?? {};
      const enqueuedAt = Date.parse(String(triggerMetadata['enqueuedTimeUtc'] ?? ''));
      if (!Number.isNaN(enqueuedAt)) app.telemetry.messageWaited(entity, Date.now() - enqueuedAt);
      const attributes = serviceBusAttributes({
        operation: 'process',
        destination: 'queue' in trigger ? trigger.queue.name : trigger.topic.name,
        ...('subscription' in trigger ? { subscription: trigger.subscription } : {}),
        messageId: metadata.messageId,
        deliveryCount: metadata.deliveryCount,
      });
      const name = serviceBusSpanName({ operation: 'process', destination: entity });
      const span = spanOptions(context, triggerMetadata['applicationProperties']);
      await app.telemetry.span(
        name,
        {
          ...attributes,
          'faas.trigger': 'pubsub',
          'faas.invocation_id': context.invocationId,
          'azl.session': metadata.sessionId,
        },
        async () => {
          try {
            const body = await readMessage(schema, message, { entity, ...metadata }, app.failures);
            const logger = invocationLogger(app.logger, context, { ...metadata });
            await handle(body, { services: app, logger, metadata });
          } catch (error) {
            if (metadata.deliveryCount >= maxDeliveryCount) {
              app.telemetry.messageDeadLettered({ queue: entity, messageId: metadata.messageId, error });
            }
            throw error;
          }
        },
        span,
      );
    },
  });
}

type QueueBinding = Pick<ServiceBusQueueFunction, 'kind' | 'queueName' | 'isSessionsEnabled'>;
type SubscriptionBinding = Pick<
  ServiceBusTopicFunction,
  'kind' | 'topicName' | 'subscriptionName' | 'isSessionsEnabled'
>;

/**
 * The span of one invocation: a CONSUMER child of the message's context, or an INTERNAL child of the
 * host's invocation when the host passes one (see `serviceBusFunction`).
 */
function spanOptions(context: InvocationContext, properties: unknown): StageSpanOptions {
  const host = context.traceContext?.traceParent;
  if (host && parseTraceparent(host)) {
    const state = context.traceContext?.traceState;
    return { kind: 'internal', parent: { traceparent: host, ...(state ? { tracestate: state } : {}) } };
  }
  const message = traceContextOfProperties(
    typeof properties === 'object' && properties !== null
      ? (properties as Record<string, unknown>)
      : undefined,
  );
  return { kind: 'consumer', ...(message ? { parent: message } : {}) };
}

/** The trigger's binding fields, the entity path its failures are recorded under, its max delivery count. */
function bindingOf(trigger: QueueTrigger | SubscriptionTrigger): {
  readonly maxDeliveryCount: number;
  readonly entity: string;
  readonly binding: QueueBinding | SubscriptionBinding;
} {
  if ('queue' in trigger) {
    const { queue } = trigger;
    return {
      maxDeliveryCount: queue.maxDeliveryCount,
      entity: queue.name,
      binding: { kind: 'serviceBusQueue', queueName: queue.name, isSessionsEnabled: queue.requiresSession },
    };
  }
  const { topic } = trigger;
  const subscription = topic.subscriptions.find((s) => s.name === trigger.subscription);
  if (!subscription) {
    throw PipelineError.permanent(
      'functions.unknown-subscription',
      `topic ${topic.name} has no subscription ${trigger.subscription}`,
      { function: trigger.name, topic: topic.name, subscription: trigger.subscription },
    );
  }
  return {
    maxDeliveryCount: subscription.maxDeliveryCount,
    entity: `${topic.name}/subscriptions/${subscription.name}`,
    binding: {
      kind: 'serviceBusTopic',
      topicName: topic.name,
      subscriptionName: subscription.name,
      isSessionsEnabled: subscription.requiresSession,
    },
  };
}
