import type { BuildRequest } from '../../shared/build';
import type { PublishRequest } from '../../shared/publishing';
import type { OutgoingMessage } from '../servicebus';

/**
 * The Service Bus messages of the `builds` and `publish` queues, built in one place for every sender (the
 * plan function, retries and waits, the reconciler): session id = component or repository, the request as
 * the body, the properties an operator filters on. Only the message id and subject differ per sender.
 */
export function buildsMessage(request: BuildRequest, messageId: string, subject: string): OutgoingMessage {
  return {
    messageId,
    sessionId: request.component,
    subject,
    body: request,
    applicationProperties: {
      planId: request.planId,
      component: request.component,
      wave: request.wave,
      priority: request.priority,
      attempt: request.attempt,
    },
  };
}

export function publishMessage(request: PublishRequest, messageId: string, subject: string): OutgoingMessage {
  return {
    messageId,
    sessionId: request.repository,
    subject,
    body: request,
    applicationProperties: { repository: request.repository, component: request.component },
  };
}
