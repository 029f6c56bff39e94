import type { Connection, Sender } from 'rhea';
import { answerAttach, describeSession, holdAttach, refuseAttach } from './attach-control';
import { BrokerError } from './broker-error';
import type { MessageEntity } from './message-entity';

interface Waiter {
  readonly link: Sender;
  readonly entity: MessageEntity;
  readonly address: string;
  readonly deadline: number;
}

export interface SessionAttachDeps {
  readonly clock: () => number;
  readonly ownerOf: (link: Sender) => string;
  /** Called once the link holds its session: it becomes a consumer of that session's messages. */
  readonly onLocked: (link: Sender, entity: MessageEntity, sessionId: string) => void;
}

/**
 * Session receivers: a link asks for a given session (granted at once or refused with
 * `session-cannot-be-locked`) or for the next free one, which Service Bus answers as soon as a session has
 * a message nobody holds, or with `com.microsoft:timeout` shortly before the client's own timeout.
 */
export class SessionAttach {
  private readonly waiters = new Set<Waiter>();

  constructor(private readonly deps: SessionAttachDeps) {}

  attach(link: Sender, entity: MessageEntity, address: string, requested: string | undefined): void {
    if (requested !== undefined) {
      try {
        this.grant(link, entity, address, requested);
      } catch (error) {
        refuseAttach(link, error as BrokerError, false);
      }
      return;
    }
    holdAttach(link);
    const properties = (link.properties ?? {}) as Record<string, unknown>;
    const clientTimeout = Number(properties['com.microsoft:timeout'] ?? 60_000);
    const wait = clientTimeout > 2_000 ? clientTimeout - 1_000 : clientTimeout / 2;
    this.waiters.add({ link, entity, address, deadline: this.deps.clock() + wait });
    this.serve();
  }

  /** Answers the waiters that can be answered now: after messages arrived, sessions freed, or time passed. */
  serve(): void {
    const now = this.deps.clock();
    for (const waiter of this.waiters) {
      const { link, entity, address } = waiter;
      if (link.is_closed()) {
        this.waiters.delete(waiter);
        continue;
      }
      const sessionId = entity.nextFreeSession(now);
      if (sessionId !== undefined) {
        this.waiters.delete(waiter);
        this.grant(link, entity, address, sessionId);
        answerAttach(link);
      } else if (waiter.deadline <= now) {
        this.waiters.delete(waiter);
        const timeout = new BrokerError('com.microsoft:timeout', 'No session was available in time.', 408);
        refuseAttach(link, timeout, true);
      }
    }
  }

  forget(connection: Connection): void {
    for (const waiter of this.waiters) if (waiter.link.connection === connection) this.waiters.delete(waiter);
  }

  private grant(link: Sender, entity: MessageEntity, address: string, sessionId: string): void {
    const lock = entity.sessions.acquire(sessionId, this.deps.ownerOf(link), this.deps.clock());
    describeSession(link, address, sessionId, lock.until);
    this.deps.onLocked(link, entity, sessionId);
  }
}
