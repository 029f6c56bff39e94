import type { AddressInfo, Server } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Connection, Container, EventContext, Receiver, Sender } from 'rhea';
import { create_container } from 'rhea';
import type { Logger } from '../../../shared/logger';
import { refuseAttach } from './attach-control';
import { answerDrain } from './drain-control';
import { SessionAttach } from './session-attach';
import { BrokerError } from './broker-error';
import type { Consumer } from './consumers';
import { Consumers } from './consumers';
import { clientHostOf } from './client-host';
import { scheduledTimeOf, transferSize, unpackTransfer } from './delivery-format';
import type { MessageEntity } from './message-entity';
import type { Namespace } from './namespace';
import { normalize } from './namespace';
import { EntityAccess } from './entity-runtime';
import type { Claims } from './claims';
import type { SecureListener, SecureRoutes } from './secure-listener';
import { listenSecure } from './secure-listener';
import { isCbsAddress, isManagementAddress, RequestReplies } from './request-replies';

const SESSION_FILTER = 'com.microsoft:session-filter';

/**
 * The AMQP 1.0 face of the broker: accepts connections from `@azure/service-bus`, routes links to entities,
 * and turns link traffic into entity operations. Entity semantics live in `MessageEntity`.
 */
export class AmqpServer {
  private readonly container: Container;
  private readonly consumers: Consumers;
  private readonly requests: RequestReplies;
  private readonly sessions: SessionAttach;
  private readonly connections = new Set<Connection>();
  private readonly servers: Server[] = [];
  private readonly secureListeners: SecureListener[] = [];
  /** When each entity was last sent to or attached for receiving (the management API's AccessedAt). */
  readonly access = new EntityAccess();
  private nextOwner = 1;

  constructor(
    private readonly namespace: Namespace,
    private readonly clock: () => number,
    private readonly logger: Logger,
    /** Who may attach on authenticated (TLS) connections; absent, the broker has no TLS listener. */
    private readonly claims?: Claims,
  ) {
    this.consumers = new Consumers(clock, namespace.operations);
    this.requests = new RequestReplies(namespace, clock, (connection, audience, token) =>
      claims ? claims.putToken(connection, audience, token) : { statusCode: 202, description: 'Accepted' },
    );
    this.sessions = new SessionAttach({
      clock,
      ownerOf: (link) => this.ownerOf(link),
      onLocked: (link, entity, sessionId) => this.consumers.add(this.consumerOf(link, entity, sessionId)),
    });
    this.container = create_container({
      id: 'azl-local-broker',
      autoaccept: false,
      treat_modified_as_released: false,
    });
    this.container.sasl_server_mechanisms.enable_anonymous();
    this.container.sasl_server_mechanisms.enable_plain(() => true);
    this.wire();
  }

  /** The plain AMQP listener (emulator-style: no TLS, every token accepted). */
  async listen(host: string, port: number): Promise<number> {
    const server = this.container.listen({ host, port }) as unknown as Server;
    this.servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    return (server.address() as AddressInfo).port;
  }

  /**
   * The TLS listener, as Azure serves a namespace: AMQPS whose connections must put a valid SAS token on
   * `$cbs` before attaching, and HTTPS on the same port for whatever `http` serves (the management API).
   */
  async listenSecure(
    host: string,
    port: number,
    credentials: { key: string; cert: string },
    http: SecureRoutes['http'],
  ): Promise<number> {
    const claims = this.claims;
    if (!claims) throw new Error('a TLS listener needs the shared access keys its clients authenticate with');
    const secure = await listenSecure(host, port, credentials, {
      amqp: (socket: TLSSocket) => {
        const connection = this.container.create_connection({ transport: 'tls' } as never);
        claims.require(connection);
        (connection as unknown as { accept(socket: TLSSocket): void }).accept(socket);
      },
      http,
    });
    this.secureListeners.push(secure);
    return secure.port;
  }

  async close(): Promise<void> {
    for (const connection of this.connections) connection.close();
    for (const connection of this.connections)
      (connection as unknown as { socket?: { destroy(): void } }).socket?.destroy();
    await Promise.all([
      ...this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
      ...this.secureListeners.map((listener) => listener.close()),
    ]);
  }

  /** Time passed: deliver what became available and answer session waiters. */
  afterTick(changed: readonly MessageEntity[]): void {
    for (const entity of changed) this.consumers.pump(entity);
    this.sessions.serve();
  }

  private wire(): void {
    const c = this.container;
    c.on('connection_open', (ctx: EventContext) => this.connections.add(ctx.connection));
    c.on('disconnected', (ctx: EventContext) => this.dropConnection(ctx.connection));
    c.on('connection_close', (ctx: EventContext) => this.dropConnection(ctx.connection));
    c.on('sender_open', (ctx: EventContext) => this.onConsumerAttach(ctx.sender!));
    c.on('receiver_open', (ctx: EventContext) => this.onProducerAttach(ctx.receiver!));
    c.on('sendable', (ctx: EventContext) => this.onCredit(ctx.sender!));
    c.on('sender_draining', (ctx: EventContext) => this.onDrain(ctx.sender!));
    c.on('sender_close', (ctx: EventContext) => this.consumers.remove(ctx.sender!));
    c.on('message', (ctx: EventContext) => this.onTransfer(ctx));
    c.on('accepted', (ctx: EventContext) =>
      this.consumers.settle(ctx.delivery!, (e, t, now) => e.complete(t, now)),
    );
    c.on('released', (ctx: EventContext) =>
      this.consumers.settle(ctx.delivery!, (e, t, now) => e.abandon(t, now)),
    );
    c.on('modified', (ctx: EventContext) => {
      const state = (ctx.delivery!.remote_state ?? {}) as {
        undeliverable_here?: boolean;
        message_annotations?: never;
      };
      this.consumers.settle(ctx.delivery!, (e, t, now) =>
        state.undeliverable_here
          ? e.defer(t, now, state.message_annotations)
          : e.abandon(t, now, state.message_annotations),
      );
    });
    c.on('rejected', (ctx: EventContext) => {
      const error = (ctx.delivery!.remote_state as { error?: { info?: Record<string, unknown> } } | undefined)
        ?.error;
      const { DeadLetterReason, DeadLetterErrorDescription, ...properties } = error?.info ?? {};
      this.consumers.settle(ctx.delivery!, (e, t, now) =>
        e.deadLetter(t, now, {
          reason: DeadLetterReason === undefined ? '' : String(DeadLetterReason),
          description: DeadLetterErrorDescription === undefined ? '' : String(DeadLetterErrorDescription),
          properties,
        }),
      );
    });
    c.on('error', (error: unknown) => this.logger.warn('broker connection error', { error: String(error) }));
    c.on('connection_error', () => undefined);
    c.on('sender_error', () => undefined);
    c.on('receiver_error', () => undefined);
    c.on('session_error', () => undefined);
  }

  /** A client's receiver: a consumer of an entity, or the reply end of `$cbs` / `$management`. */
  private onConsumerAttach(link: Sender): void {
    const address = link.source?.address ?? '';
    if (isCbsAddress(address) || isManagementAddress(address)) {
      if (isManagementAddress(address) && !this.mayAttach(link, address, 'Listen')) return;
      this.requests.addReplyLink(link.connection, link);
      return;
    }
    if (!this.mayAttach(link, address, 'Listen')) return;
    let entity: MessageEntity;
    try {
      entity = this.namespace.receiver(address);
    } catch (error) {
      refuseAttach(link, (error as BrokerError).forClientHost(clientHostOf(link.connection)), false);
      return;
    }
    const filter = (link.source as { filter?: Record<string, unknown> } | undefined)?.filter;
    if (entity.config.requiresSession && !(filter && SESSION_FILTER in filter)) {
      refuseAttach(link, BrokerError.argument(`'${entity.path}' requires a session receiver.`), false);
      return;
    }
    this.access.touch([entity.path], this.clock());
    if (filter && SESSION_FILTER in filter) {
      this.sessions.attach(link, entity, address, unwrapString(filter[SESSION_FILTER]));
      return;
    }
    this.consumers.add(this.consumerOf(link, entity, undefined));
  }

  /** A client's sender: to an entity, or the request end of `$cbs` / `$management`. */
  private onProducerAttach(link: Receiver): void {
    const address = link.target?.address ?? '';
    if (isCbsAddress(address)) return;
    if (!this.mayAttach(link, address, 'Send')) return;
    if (isManagementAddress(address)) return;
    let maxMessageSize: number;
    try {
      maxMessageSize = this.namespace.maxMessageSize(address);
    } catch (error) {
      refuseAttach(link as never, (error as BrokerError).forClientHost(clientHostOf(link.connection)), false);
      return;
    }
    // As Azure does, the attach advertises the entity's limit: the SDK sizes its batches from it.
    (link as unknown as { local: { attach: { max_message_size: number } } }).local.attach.max_message_size =
      maxMessageSize;
  }

  /** On an authenticated connection, a link needs a claim for its entity; refused otherwise, as Azure does. */
  private mayAttach(link: Sender | Receiver, address: string, claim: 'Send' | 'Listen'): boolean {
    if (!this.claims) return true;
    try {
      this.claims.checkAttach(link.connection, address, claim);
      return true;
    } catch (error) {
      refuseAttach(link as never, error as BrokerError, false);
      return false;
    }
  }

  private onTransfer(ctx: EventContext): void {
    const link = ctx.receiver!;
    const delivery = ctx.delivery!;
    const address = link.target?.address ?? '';
    if (isCbsAddress(address) || isManagementAddress(address)) {
      delivery.accept();
      const operation = (ctx.message!.application_properties as Record<string, unknown> | undefined)
        ?.operation;
      this.namespace.operations.count(isCbsAddress(address) ? 'cbs' : `management:${String(operation)}`);
      this.requests.handle(link.connection, address, ctx.message!);
      for (const entity of this.namespace.entities()) this.consumers.pump(entity);
      this.sessions.serve();
      return;
    }
    try {
      const now = this.clock();
      // Over the limit, the delivery is rejected and the link stays up, as on Azure.
      this.namespace.checkMessageSize(address, transferSize(ctx.message!));
      const messages = unpackTransfer(ctx.message!, (delivery as unknown as { format?: number }).format);
      this.namespace.operations.count('send');
      this.namespace.operations.count('message', messages.length);
      const touched = new Set<MessageEntity>();
      for (const message of messages) {
        for (const entity of this.namespace.send(address, message, now, scheduledTimeOf(message)))
          touched.add(entity);
      }
      delivery.accept();
      this.access.touch([normalize(address), ...[...touched].map((entity) => entity.path)], now);
      for (const entity of touched) this.consumers.pump(entity);
      this.sessions.serve();
    } catch (error) {
      const failure = (
        error instanceof BrokerError ? error : BrokerError.argument(String(error))
      ).forClientHost(clientHostOf(link.connection));
      delivery.reject({ condition: failure.condition, description: failure.message } as never);
    }
  }

  private onCredit(link: Sender): void {
    const consumer = this.consumers.of(link);
    if (consumer) this.consumers.deliver(consumer);
  }

  private onDrain(link: Sender): void {
    const consumer = this.consumers.of(link);
    if (consumer) this.consumers.drain(consumer);
    else answerDrain(link);
  }

  private consumerOf(link: Sender, entity: MessageEntity, sessionId: string | undefined): Consumer {
    const receiveAndDelete =
      (link as unknown as { remote: { attach?: { snd_settle_mode?: number } } }).remote.attach
        ?.snd_settle_mode === 1;
    return { link, entity, owner: this.ownerOf(link), sessionId, receiveAndDelete };
  }

  private readonly owners = new WeakMap<Sender, string>();
  private ownerOf(link: Sender): string {
    let owner = this.owners.get(link);
    if (!owner) {
      owner = `link-${this.nextOwner++}`;
      this.owners.set(link, owner);
    }
    return owner;
  }

  private dropConnection(connection: Connection): void {
    this.connections.delete(connection);
    this.sessions.forget(connection);
    this.consumers.removeConnection(connection);
  }
}

function unwrapString(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'object' && 'value' in (value as object))
    return unwrapString((value as { value: unknown }).value);
  return String(value);
}
