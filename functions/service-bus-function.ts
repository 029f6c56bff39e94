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
  const { entity, binding } = bindingOf(trigger);
  return (services) => ({
    ...binding,
    name: trigger.name,
    connection: SERVICE_BUS_CONNECTION,
    handler: async (message: unknown, context: InvocationContext): Promise<void> => {
      const app = await services();
      const metadata = messageMetadata(context);
      const body = await readMessage(schema, message, { entity, ...metadata }, app.failures);
      const logger = invocationLogger(app.logger, context, { ...metadata });
      await handle(body, { services: app, logger, metadata });
    },
  });
}

type QueueBinding = Pick<ServiceBusQueueFunction, 'kind' | 'queueName' | 'isSessionsEnabled'>;
type SubscriptionBinding = Pick<
  ServiceBusTopicFunction,
  'kind' | 'topicName' | 'subscriptionName' | 'isSessionsEnabled'
>;

/** The trigger's binding fields, and the entity path its failures are recorded under. */
function bindingOf(trigger: QueueTrigger | SubscriptionTrigger): {
  readonly entity: string;
  readonly binding: QueueBinding | SubscriptionBinding;
} {
  if ('queue' in trigger) {
    const { queue } = trigger;
    return {
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
    entity: `${topic.name}/subscriptions/${subscription.name}`,
    binding: {
      kind: 'serviceBusTopic',
      topicName: topic.name,
      subscriptionName: subscription.name,
      isSessionsEnabled: subscription.requiresSession,
    },
  };
}
