import type { Connection, Delivery, Sender } from 'rhea';
import type { BrokerOperationTally } from './operation-tally';
import { message as amqpCodec } from 'rhea';
import { BrokerError } from './broker-error';
import { toDelivered } from './delivery-format';
import { answerDrain } from './drain-control';
import { deliveryTagFor } from './lock-tokens';
import type { MessageEntity } from './message-entity';

/** A client receiver attached to an entity: the broker's sending end of that link. */
export interface Consumer {
  readonly link: Sender;
  readonly entity: MessageEntity;
  /** Holds this consumer's message and session locks. */
  readonly owner: string;
  readonly sessionId: string | undefined;
  readonly receiveAndDelete: boolean;
}

interface Outstanding {
  readonly consumer: Consumer;
  readonly token: string;
}

/**
 * The consumers of every entity, how messages reach them (as far as each link has credit) and how the
 * client's settlement of a delivery (accepted / modified / rejected / released) becomes a Service Bus
 * operation. The broker settles each delivery only after the operation, so the SDK's promise resolves then.
 */
export class Consumers {
  private readonly byEntity = new Map<MessageEntity, Set<Consumer>>();
  private readonly byLink = new Map<Sender, Consumer>();
  private readonly outstanding = new WeakMap<Delivery, Outstanding>();
  /**
   * rhea takes a link's credit only when it writes the transfer (on the next tick), so `sendable()` stays true
   * while we queue. Count what we queued since, so a receiver never gets more messages than it asked for.
   */
  private readonly queued = new Map<Sender, number>();
  /** Links whose receiver asked to drain and has not had its answer yet. */
  private readonly draining = new Set<Sender>();

  constructor(
    private readonly clock: () => number,
    private readonly operations: BrokerOperationTally,
  ) {}

  add(consumer: Consumer): void {
    this.byLink.set(consumer.link, consumer);
    const set = this.byEntity.get(consumer.entity) ?? new Set<Consumer>();
    set.add(consumer);
    this.byEntity.set(consumer.entity, set);
    this.deliver(consumer);
  }

  remove(link: Sender): void {
    const consumer = this.byLink.get(link);
    if (!consumer) return;
    this.byLink.delete(link);
    this.draining.delete(link);
    this.byEntity.get(consumer.entity)?.delete(consumer);
    if (consumer.sessionId !== undefined) {
      consumer.entity.releaseOwner(consumer.owner, this.clock());
      this.pump(consumer.entity);
    }
  }

  removeConnection(connection: Connection): void {
    for (const link of [...this.byLink.keys()]) if (link.connection === connection) this.remove(link);
  }

  of(link: Sender): Consumer | undefined {
    return this.byLink.get(link);
  }

  pump(entity: MessageEntity): void {
    for (const consumer of this.byEntity.get(entity) ?? []) this.deliver(consumer);
  }

  /**
   * The receiver asked to drain its credit (the SDK does after every `receiveMessages` batch): send what is
   * available, then answer with a drained flow once the transfers are written. The link stays attached.
   */
  drain(consumer: Consumer): void {
    this.draining.add(consumer.link);
    this.deliver(consumer);
  }

  /** Sends what the entity has for this consumer, as far as its credit goes; then answers a pending drain. */
  deliver(consumer: Consumer): void {
    this.sendAvailable(consumer);
    const link = consumer.link;
    if (this.draining.has(link) && (this.queued.get(link) ?? 0) === 0) {
      this.draining.delete(link);
      answerDrain(link);
    }
  }

  /**
   * Counts a transfer only once it is sent: the pass scheduled by `countQueued` re-runs `deliver`, so counting
   * before knowing whether anything is available made an idle link with credit (a receiver waiting for
   * messages) reschedule itself on every turn of the event loop, a busy loop at one core. New messages,
   * settlements, new credit and the broker's tick pump the entity instead.
   */
  private sendAvailable(consumer: Consumer): void {
    const { link, entity, owner, sessionId } = consumer;
    while (link.sendable() && creditOf(link) > (this.queued.get(link) ?? 0)) {
      const now = this.clock();
      if (consumer.receiveAndDelete) {
        const message = entity.takeNext(now, owner, sessionId);
        if (!message) return;
        this.operations.count('deliver');
        this.countQueued(consumer);
        link.send(amqpCodec.encode(toDelivered(message, undefined)), undefined, 0);
        continue;
      }
      const next = entity.lockNext(now, owner, sessionId);
      if (!next) return;
      this.operations.count('deliver');
      this.countQueued(consumer);
      const delivery = link.send(
        amqpCodec.encode(toDelivered(next.message, next.lock)),
        deliveryTagFor(next.lock.token),
        0,
      );
      this.outstanding.set(delivery, { consumer, token: next.lock.token });
    }
  }

  private countQueued(consumer: Consumer): void {
    const count = this.queued.get(consumer.link) ?? 0;
    this.queued.set(consumer.link, count + 1);
    if (count > 0) return;
    // After rhea's tick has written the transfers, the link's credit is exact again.
    setImmediate(() => {
      this.queued.delete(consumer.link);
      if (this.byLink.has(consumer.link)) this.deliver(consumer);
    });
  }

  /** The client settled a delivery: apply it, then settle on our side with the result. */
  settle(delivery: Delivery, outcome: (entity: MessageEntity, token: string, now: number) => void): void {
    const outstanding = this.outstanding.get(delivery);
    if (!outstanding) {
      finish(delivery, undefined as never);
      return;
    }
    this.outstanding.delete(delivery);
    this.operations.count('settle');
    const { consumer, token } = outstanding;
    try {
      const now = this.clock();
      if (consumer.sessionId !== undefined)
        consumer.entity.requireSessionHeld(consumer.sessionId, consumer.owner, now);
      outcome(consumer.entity, token, now);
      finish(delivery, outcomes.accepted().described());
    } catch (error) {
      const failure = error instanceof BrokerError ? error : BrokerError.lockLost(token);
      finish(delivery, rejectedState(failure));
    }
    this.pump(consumer.entity);
  }
}

/**
 * Settles a delivery with its outcome. The SDK's receivers (settle mode "second") do not send a final settled
 * disposition after ours, and rhea frees an outgoing delivery only once both ends settled: without marking
 * it here, the session's 2048-delivery buffer fills and the link stops sending.
 */
function finish(delivery: Delivery, state: never): void {
  delivery.update(true, state);
  (delivery as unknown as { remote_settled: boolean }).remote_settled = true;
}

/** rhea builds outcome states at run time but does not declare the builders in its typings. */
interface Outcome {
  described(): never;
}
const outcomes = amqpCodec as unknown as {
  accepted(): Outcome;
  rejected(fields: { error: { condition: string; description: string } }): Outcome;
};

function rejectedState(error: BrokerError): never {
  return outcomes.rejected({ error: { condition: error.condition, description: error.message } }).described();
}

/** The link credit the receiver granted (rhea keeps it on the link; its typings omit it). */
const creditOf = (link: Sender): number => (link as unknown as { credit: number }).credit;
