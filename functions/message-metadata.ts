import type { InvocationContext } from '@azure/functions';

/**
 * What the Functions host tells about one delivered Service Bus message (`context.triggerMetadata`, cardinality
 * one): its id, how often it has been delivered (1 on the first delivery; 0 here when the host did not say)
 * and, on a session-enabled entity, its session id.
 */
export interface MessageMetadata {
  readonly messageId: string;
  readonly deliveryCount: number;
  readonly sessionId?: string;
}

export function messageMetadata(context: InvocationContext): MessageMetadata {
  const trigger = context.triggerMetadata ?? {};
  const sessionId = trigger['sessionId'];
  return {
    messageId: String(trigger['messageId'] ?? ''),
    deliveryCount: Number(trigger['deliveryCount'] ?? 0),
    ...(typeof sessionId === 'string' && sessionId !== '' ? { sessionId } : {}),
  };
}
