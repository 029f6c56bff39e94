import type { Message as AmqpMessage } from 'rhea';
import { message as amqpCodec, types } from 'rhea';
import { longBytes, toSafeInteger, wrapUuid } from './amqp-values';
import { BrokerError } from './broker-error';
import { encodeDelivered, scheduledTimeOf } from './delivery-format';
import { lockTokenFromUuid, uuidBytes } from './lock-tokens';
import type { Namespace } from './namespace';
import { ruleOperations } from './rule-ops';

export interface ManagementReply {
  readonly statusCode: number;
  readonly body?: unknown;
}

export interface ManagementRequest {
  /** The entity part of `<entity>/$management`. */
  readonly entityAddress: string;
  readonly operation: string;
  readonly body: Record<string, unknown>;
  /** Who holds locks taken through this request (deferred receives). */
  readonly owner: string;
  readonly now: number;
}

type Operation = (namespace: Namespace, request: ManagementRequest) => ManagementReply;

/** Service Bus `$management` operations, as `@azure/service-bus` calls them (request body in, reply body out). */
const operations: Record<string, Operation> = {
  'com.microsoft:renew-lock': (ns, r) => {
    const entity = ns.receiver(r.entityAddress);
    const expirations = lockTokens(r.body).map((token) => new Date(entity.renewLock(token, r.now)));
    return { statusCode: 200, body: { expirations } };
  },
  'com.microsoft:update-disposition': (ns, r) => {
    const entity = ns.receiver(r.entityAddress);
    const status = String(r.body['disposition-status']);
    const properties = (r.body['properties-to-modify'] ?? undefined) as Record<string, unknown> | undefined;
    const sessionId = r.body['session-id'];
    if (typeof sessionId === 'string' && entity.config.requiresSession)
      entity.requireSessionHeld(sessionId, undefined, r.now);
    for (const token of lockTokens(r.body)) {
      if (status === 'completed') entity.complete(token, r.now);
      else if (status === 'abandoned') entity.abandon(token, r.now, properties);
      else if (status === 'defered') entity.defer(token, r.now, properties);
      else if (status === 'suspended')
        entity.deadLetter(token, r.now, {
          reason: String(r.body['deadletter-reason'] ?? ''),
          description: String(r.body['deadletter-description'] ?? ''),
          ...(properties ? { properties } : {}),
        });
      else throw BrokerError.argument(`Unknown disposition-status '${status}'.`);
    }
    return { statusCode: 200, body: {} };
  },
  'com.microsoft:schedule-message': (ns, r) => {
    const entries = (r.body.messages ?? []) as { message: Buffer }[];
    // Every message is checked before any is scheduled: an oversized one fails the whole request.
    for (const entry of entries) ns.checkMessageSize(r.entityAddress, entry.message.length);
    const sequenceNumbers = entries.map((entry) => {
      const amqp = amqpCodec.decode(entry.message) as unknown as AmqpMessage;
      const at = scheduledTimeOf(amqp) ?? r.now;
      return longBytes(ns.schedule(r.entityAddress, amqp, r.now, at) ?? 0);
    });
    return {
      statusCode: 200,
      body: { 'sequence-numbers': types.wrap_array(sequenceNumbers, 0x81, undefined) },
    };
  },
  'com.microsoft:cancel-scheduled-message': (ns, r) => {
    ns.cancelScheduled(r.entityAddress, sequenceNumbers(r.body));
    return { statusCode: 200, body: {} };
  },
  'com.microsoft:peek-message': (ns, r) => {
    const entity = ns.receiver(r.entityAddress);
    const from = toSafeInteger(r.body['from-sequence-number'] ?? 0);
    const count = toSafeInteger(r.body['message-count'] ?? 1);
    const sessionId = r.body['session-id'] as string | undefined;
    const found = entity.peek(from, count, sessionId ?? undefined);
    if (found.length === 0) return { statusCode: 204, body: { messages: [] } };
    return { statusCode: 200, body: { messages: found.map((m) => ({ message: encodeDelivered(m) })) } };
  },
  'com.microsoft:receive-by-sequence-number': (ns, r) => {
    const entity = ns.receiver(r.entityAddress);
    const sessionId = (r.body['session-id'] as string | undefined) ?? undefined;
    // The SDK sends 0 (settled on receipt) for receive-and-delete, 1 for peek-lock.
    const receiveAndDelete = toSafeInteger(r.body['receiver-settle-mode'] ?? 1) === 0;
    const received = entity.receiveDeferred(sequenceNumbers(r.body), r.now, r.owner, {
      ...(sessionId !== undefined ? { sessionId } : {}),
      receiveAndDelete,
    });
    const messages = received.map(({ message, lock }) => ({
      message: encodeDelivered(message, lock),
      ...(lock ? { 'lock-token': wrapUuid(uuidBytes(lock.token)) } : {}),
    }));
    return { statusCode: 200, body: { messages } };
  },
  'com.microsoft:renew-session-lock': (ns, r) => {
    const entity = ns.receiver(r.entityAddress);
    return {
      statusCode: 200,
      body: { expiration: new Date(entity.sessions.renew(sessionIdOf(r), undefined, r.now)) },
    };
  },
  'com.microsoft:set-session-state': (ns, r) => {
    const entity = ns.receiver(r.entityAddress);
    const state = r.body['session-state'];
    entity.setSessionState(sessionIdOf(r), Buffer.isBuffer(state) ? state : undefined);
    return { statusCode: 200, body: {} };
  },
  'com.microsoft:get-session-state': (ns, r) => {
    const state = ns.receiver(r.entityAddress).getSessionState(sessionIdOf(r));
    return { statusCode: 200, body: { 'session-state': state ?? null } };
  },
  'com.microsoft:get-message-sessions': (ns, r) => {
    const ids = ns.receiver(r.entityAddress).sessionIds();
    return { statusCode: ids.length ? 200 : 204, body: { skip: 0, 'sessions-ids': ids } };
  },
  ...ruleOperations,
};

export function runManagementOperation(namespace: Namespace, request: ManagementRequest): ManagementReply {
  const operation = operations[request.operation];
  if (!operation) {
    throw new BrokerError(
      'amqp:not-implemented',
      `The local broker does not implement '${request.operation}'.`,
      501,
    );
  }
  return operation(namespace, request);
}

function lockTokens(body: Record<string, unknown>): string[] {
  const tokens = body['lock-tokens'];
  if (!Array.isArray(tokens)) throw BrokerError.argument("'lock-tokens' is missing.");
  return tokens.map((t) => lockTokenFromUuid(t as Buffer | string));
}

function sequenceNumbers(body: Record<string, unknown>): number[] {
  const values = body['sequence-numbers'];
  if (!Array.isArray(values)) throw BrokerError.argument("'sequence-numbers' is missing.");
  return values.map(toSafeInteger);
}

function sessionIdOf(request: ManagementRequest): string {
  const id = request.body['session-id'];
  if (typeof id !== 'string' || id === '') throw BrokerError.argument("'session-id' is missing.");
  return id;
}
