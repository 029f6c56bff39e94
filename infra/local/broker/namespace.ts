import type { Message as AmqpMessage } from 'rhea';
import { BrokerOperationTally } from './operation-tally';
import { BrokerError } from './broker-error';
import { messageIdOf } from './broker-message';
import type { NamespaceConfig } from './entity-config';
import { DEFAULT_MAX_MESSAGE_SIZE_BYTES, deadLetterConfig } from './entity-config';
import type { EntityJournal } from './entity-journal';
import { MessageEntity } from './message-entity';
import { initialRules, SubscriptionRules } from './subscription-rules';

/** Remembers message ids for an entity's duplicate detection window. */
class DuplicateDetector {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly path: string,
    private readonly windowMs: number,
    private readonly journal: EntityJournal,
  ) {}

  /** True when the id was seen within the window; otherwise records it. */
  isDuplicate(messageId: string | undefined, now: number): boolean {
    if (this.windowMs <= 0 || !messageId) return false;
    const at = this.seen.get(messageId);
    if (at !== undefined && now - at < this.windowMs) return true;
    this.remember(messageId, now);
    this.journal.seen(this.path, messageId, now);
    return false;
  }

  remember(messageId: string, at: number): void {
    this.seen.delete(messageId);
    this.seen.set(messageId, at);
  }

  forget(now: number): void {
    for (const [id, at] of this.seen) {
      if (now - at < this.windowMs) break; // insertion order is time order
      this.seen.delete(id);
    }
  }
}

interface SendTarget {
  readonly detector: DuplicateDetector;
  readonly receivers: readonly MessageEntity[];
  readonly maxMessageSizeBytes: number;
}

/**
 * All entities of one namespace, addressed as the SDK addresses them: `queue`, `queue/$deadletterqueue`,
 * `topic` (send only), `topic/subscriptions/name` and its dead-letter queue. Addresses are case-insensitive.
 */
export class Namespace {
  /** The operations the broker served for this namespace (operation-tally.ts). */
  readonly operations = new BrokerOperationTally();
  private readonly receivable = new Map<string, MessageEntity>();
  private readonly sendable = new Map<string, SendTarget>();
  /** A topic's scheduled copies by the handle `schedule` answered, until they activate or are cancelled. */
  private readonly scheduled = new Map<string, { entity: MessageEntity; sequenceNumber: number }[]>();
  /** Each subscription's rules, by subscription path; queues have none. */
  private readonly subscriptionRules = new Map<string, SubscriptionRules>();

  constructor(config: NamespaceConfig, journal: EntityJournal) {
    const entity = (c: (typeof config.queues)[number]): MessageEntity => {
      const dlq = new MessageEntity(deadLetterConfig(c), journal, undefined);
      const main = new MessageEntity(c, journal, dlq);
      this.receivable.set(c.path, main);
      this.receivable.set(dlq.path, dlq);
      return main;
    };
    for (const queue of config.queues) {
      const main = entity(queue);
      this.sendable.set(queue.path, {
        detector: new DuplicateDetector(queue.path, queue.duplicateDetectionWindowMs, journal),
        receivers: [main],
        maxMessageSizeBytes: queue.maxMessageSizeBytes ?? DEFAULT_MAX_MESSAGE_SIZE_BYTES,
      });
    }
    for (const topic of config.topics) {
      this.sendable.set(topic.path, {
        detector: new DuplicateDetector(topic.path, topic.duplicateDetectionWindowMs, journal),
        receivers: topic.subscriptions.map(entity),
        maxMessageSizeBytes: topic.maxMessageSizeBytes ?? DEFAULT_MAX_MESSAGE_SIZE_BYTES,
      });
      for (const { path, rules } of topic.subscriptions)
        this.subscriptionRules.set(path, new SubscriptionRules(path, initialRules(path, rules)));
    }
  }

  /** The entity a receiver reads from; throws the SDK's not-found error for an unknown address. */
  receiver(address: string): MessageEntity {
    const found = this.receivable.get(normalize(address));
    if (!found) throw BrokerError.entityNotFound(withoutHost(address));
    return found;
  }

  /** A subscription's rules (`topic/subscriptions/name`); throws the SDK's not-found error for anything else. */
  rules(address: string): SubscriptionRules {
    const found = this.subscriptionRules.get(normalize(address));
    if (!found) throw BrokerError.entityNotFound(address);
    return found;
  }

  hasSendTarget(address: string): boolean {
    return this.sendable.has(normalize(address));
  }

  /** The largest transfer a sender may send to the queue or topic (what its link advertises). */
  maxMessageSize(address: string): number {
    return this.sendTarget(address).maxMessageSizeBytes;
  }

  /** Refuses a transfer (or a message to schedule) of `size` encoded bytes over the entity's limit. */
  checkMessageSize(address: string, size: number): void {
    const limit = this.maxMessageSize(address);
    if (size > limit) throw BrokerError.messageSizeExceeded(size, limit);
  }

  /**
   * Accepts a sent message: dropped silently when its id was seen within the duplicate detection window,
   * otherwise enqueued on the queue or copied to every subscription of the topic. Returns the entities touched.
   */
  send(address: string, amqp: AmqpMessage, now: number, scheduledAt?: number): MessageEntity[] {
    return this.enqueueCopies(address, amqp, now, scheduledAt).map((copy) => copy.entity);
  }

  /** The entities a scheduled send lands in, for `schedule-message` (which answers one sequence number). */
  sendTargets(address: string): readonly MessageEntity[] {
    return this.sendTarget(address).receivers;
  }

  private sendTarget(address: string): SendTarget {
    const target = this.sendable.get(normalize(address));
    if (!target) throw BrokerError.entityNotFound(withoutHost(address));
    return target;
  }

  /**
   * Schedules a message (`schedule-message`). For a topic, each subscription gets its own copy; the number
   * returned is the first copy's, and cancelling it cancels every copy.
   */
  schedule(address: string, amqp: AmqpMessage, now: number, at: number): number | undefined {
    const copies = this.enqueueCopies(address, amqp, now, at);
    const handle = copies[0]?.sequenceNumber;
    if (handle === undefined) return undefined;
    // A queue's one copy is found by its own sequence number; only a topic's copies need remembering.
    if (copies.length > 1) this.scheduled.set(`${normalize(address)}#${handle}`, copies);
    return handle;
  }

  /**
   * The copies each receiving entity gets (a subscription's rules decide how many: none, one, or more), none
   * for a duplicate; each with the sequence number it got there.
   */
  private enqueueCopies(address: string, amqp: AmqpMessage, now: number, scheduledAt?: number) {
    const target = this.sendTarget(address);
    if (target.detector.isDuplicate(messageIdOf(amqp), now)) return [];
    return target.receivers.flatMap((entity) => {
      const copies = this.subscriptionRules.get(entity.path)?.copiesOf(amqp, now) ?? [amqp];
      return copies.map((copy) => ({
        entity,
        sequenceNumber: entity.enqueue(copy, now, scheduledAt).sequenceNumber,
      }));
    });
  }

  cancelScheduled(address: string, sequenceNumbers: readonly number[]): void {
    const path = normalize(address);
    for (const sequenceNumber of sequenceNumbers) {
      const copies = this.scheduled.get(`${path}#${sequenceNumber}`);
      if (copies) {
        for (const copy of copies) copy.entity.cancelScheduled([copy.sequenceNumber]);
        this.scheduled.delete(`${path}#${sequenceNumber}`);
      } else {
        for (const entity of this.sendTargets(address)) entity.cancelScheduled([sequenceNumber]);
      }
    }
  }

  restoreSeen(address: string, messageId: string, at: number): void {
    this.sendable.get(normalize(address))?.detector.remember(messageId, at);
  }

  entities(): MessageEntity[] {
    return [...this.receivable.values()];
  }

  tick(now: number): MessageEntity[] {
    for (const target of this.sendable.values()) target.detector.forget(now);
    const changed = this.entities().filter((entity) => entity.tick(now));
    for (const [handle, copies] of this.scheduled) {
      if (!copies.some((copy) => copy.entity.isScheduled(copy.sequenceNumber))) this.scheduled.delete(handle);
    }
    return changed;
  }
}

/** `Events/Subscriptions/Audit/$DeadLetterQueue` and `sb://host/events/...` both name the same entity. */
export function normalize(address: string): string {
  return withoutHost(address).toLowerCase();
}

/** The entity path of an address, as the client spelled it. */
function withoutHost(address: string): string {
  return address.replace(/^(amqps?|sb):\/\/[^/]+\//i, '').replace(/^\/+|\/+$/g, '');
}
