import type { Connection, Message as AmqpMessage, Sender } from 'rhea';
import { types } from 'rhea';
import { BrokerError } from './broker-error';
import { clientHostOf } from './client-host';
import type { CbsAnswer } from './claims';
import { runManagementOperation } from './management-ops';
import type { Namespace } from './namespace';

const MANAGEMENT_SUFFIX = '/$management';

export const isCbsAddress = (address: string | undefined): boolean => address === '$cbs';
export const isManagementAddress = (address: string | undefined): boolean =>
  (address ?? '').toLowerCase().endsWith(MANAGEMENT_SUFFIX);

/**
 * Request/reply over AMQP, as Service Bus does it for `$cbs` (claims-based security) and `<entity>/$management`:
 * the client sends a request with `reply_to` naming its receiving link, and the reply carries
 * `correlation_id` = the request's `message_id` and a `status-code`.
 */
export class RequestReplies {
  private readonly replyLinks = new WeakMap<Connection, Map<string, Sender>>();

  constructor(
    private readonly namespace: Namespace,
    private readonly clock: () => number,
    /** Answers a `$cbs` put-token (`name` is the audience, the body the token). */
    private readonly putToken: (connection: Connection, audience: string, token: unknown) => CbsAnswer,
  ) {}

  /** Remembers a client's reply link (a receiver of `$cbs` or `.../$management`, named by the client). */
  addReplyLink(connection: Connection, link: Sender): void {
    const links = this.replyLinks.get(connection) ?? new Map<string, Sender>();
    links.set(link.name, link);
    this.replyLinks.set(connection, links);
  }

  /** Answers one request. */
  handle(connection: Connection, address: string, request: AmqpMessage): void {
    const reply = this.replyLinks.get(connection)?.get(String(request.reply_to));
    if (!reply) return; // nobody to answer: the client's request times out, as with Service Bus
    const props = (request.application_properties ?? {}) as Record<string, unknown>;
    const base = { correlation_id: request.message_id, to: request.reply_to };
    if (isCbsAddress(address)) {
      const answer = this.putToken(connection, String(props.name ?? ''), request.body);
      reply.send({
        ...base,
        body: null,
        application_properties: {
          'status-code': answer.statusCode,
          'status-description': answer.description,
          ...(answer.condition ? { 'error-condition': types.wrap_symbol(answer.condition) } : {}),
        },
      });
      return;
    }
    const entityAddress = address.slice(0, -MANAGEMENT_SUFFIX.length);
    try {
      const result = runManagementOperation(this.namespace, {
        entityAddress,
        operation: String(props.operation ?? ''),
        body: (request.body ?? {}) as Record<string, unknown>,
        owner: `management:${connection.container_id}`,
        now: this.clock(),
      });
      reply.send({
        ...base,
        application_properties: { 'status-code': result.statusCode, 'status-description': 'OK' },
        body: types.wrap_map(result.body ?? {}),
      });
    } catch (error) {
      const failure = (
        error instanceof BrokerError ? error : new BrokerError('amqp:internal-error', String(error), 500)
      ).forClientHost(clientHostOf(connection));
      reply.send({
        ...base,
        body: null,
        application_properties: {
          'status-code': failure.statusCode,
          'status-description': failure.message,
          'error-condition': types.wrap_symbol(failure.condition),
        },
      });
    }
  }
}
