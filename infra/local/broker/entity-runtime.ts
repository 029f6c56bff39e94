import { message as amqpCodec } from 'rhea';
import type { Namespace } from './namespace';

/** What the management API reports of a queue or subscription at one moment (Service Bus's CountDetails). */
export interface EntityCounts {
  readonly active: number;
  readonly deadLettered: number;
  readonly scheduled: number;
  /** Messages on their way through auto-forwarding: the broker forwards nothing, so always 0. */
  readonly transfer: number;
  readonly transferDeadLettered: number;
  /** Every message the entity holds, its dead-letter queue included (Service Bus's MessageCount). */
  readonly total: number;
  /** The AMQP-encoded size of those messages. */
  readonly sizeInBytes: number;
}

/**
 * The counts of a receivable entity (queue or subscription) and its dead-letter queue. Active are the
 * messages that are (or, once their lock goes, will be) delivered, locked ones included, as Service Bus counts
 * them; deferred ones count in the total only.
 */
export function countsOf(namespace: Namespace, path: string): EntityCounts {
  const main = namespace.receiver(path).all();
  const dead = namespace.receiver(`${path}/$deadletterqueue`).all();
  return {
    active: main.filter((m) => m.state === 'active').length,
    deadLettered: dead.length,
    scheduled: main.filter((m) => m.state === 'scheduled').length,
    transfer: 0,
    transferDeadLettered: 0,
    total: main.length + dead.length,
    sizeInBytes: [...main, ...dead].reduce((sum, m) => sum + amqpCodec.encode(m.amqp).length, 0),
  };
}

/** When each entity was last sent to or received from (Service Bus's AccessedAt), by lower-case path. */
export class EntityAccess {
  private readonly at = new Map<string, number>();

  /** `paths` as the broker names entities (lower case; a dead-letter queue counts for its entity). */
  touch(paths: Iterable<string>, now: number): void {
    for (const path of paths) this.at.set(path.replace(/\/\$deadletterqueue$/, ''), now);
  }

  lastAccess(path: string): number | undefined {
    return this.at.get(path.toLowerCase());
  }
}
