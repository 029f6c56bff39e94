import type { Message as AmqpMessage } from 'rhea';
import { BrokerError } from './broker-error';
import type { BrokerMessage, MessageLock } from './broker-message';
import { messageIdOf, sessionIdOf } from './broker-message';
import type { EntityConfig } from './entity-config';
import type { EntityJournal } from './entity-journal';
import { MessageLocks } from './message-locks';
import { SessionLocks } from './session-locks';

export interface DeadLetterInfo {
  readonly reason: string;
  readonly description: string;
  readonly properties?: Record<string, unknown>;
}

export interface Locked {
  readonly message: BrokerMessage;
  readonly lock: MessageLock;
}

/** A message received by sequence number: locked, or (receive-and-delete) already removed and unlocked. */
export interface ReceivedDeferred {
  readonly message: BrokerMessage;
  readonly lock: MessageLock | undefined;
}

/**
 * One receivable entity (a queue, a subscription, or a dead-letter queue): its messages in sequence order,
 * their locks, sessions and session state. It knows Service Bus semantics and nothing of AMQP links; the
 * server turns link events into calls here. `now` is passed in so that tests and the broker's clock agree.
 */
export class MessageEntity {
  private readonly messages = new Map<number, BrokerMessage>();
  private readonly locks = new MessageLocks();
  private readonly sessionStates = new Map<string, Buffer>();
  readonly sessions: SessionLocks;
  private nextSequence = 1;

  constructor(
    readonly config: EntityConfig,
    private readonly journal: EntityJournal,
    /** Absent for a dead-letter queue itself. */
    readonly deadLetterQueue: MessageEntity | undefined,
  ) {
    this.sessions = new SessionLocks(config.lockDurationMs);
  }

  get path(): string {
    return this.config.path;
  }

  /** Adds a message; `scheduledAt` in the future keeps it invisible until then. Returns its sequence number. */
  enqueue(amqp: AmqpMessage, now: number, scheduledAt?: number): BrokerMessage {
    const sessionId = sessionIdOf(amqp);
    if (this.config.requiresSession && sessionId === undefined) {
      throw new BrokerError(
        'com.microsoft:argument-error',
        `The entity '${this.path}' requires sessions: set sessionId on the message.`,
      );
    }
    const ttl = typeof amqp.ttl === 'number' && amqp.ttl > 0 ? amqp.ttl : this.config.defaultTtlMs;
    const scheduled = scheduledAt !== undefined && scheduledAt > now;
    const message: BrokerMessage = {
      sequenceNumber: this.nextSequence++,
      messageId: messageIdOf(amqp) ?? '',
      sessionId,
      amqp,
      enqueuedAt: now,
      scheduledAt: scheduled ? scheduledAt : undefined,
      expiresAt: Math.min(now + Math.min(ttl, this.config.defaultTtlMs), Number.MAX_SAFE_INTEGER),
      deliveries: 0,
      state: scheduled ? 'scheduled' : 'active',
    };
    this.messages.set(message.sequenceNumber, message);
    this.journal.put(this.path, message);
    return message;
  }

  /** Restores a journaled message as it was (locks are not restored: a restart releases them). */
  restore(message: BrokerMessage): void {
    this.messages.set(message.sequenceNumber, message);
    this.nextSequence = Math.max(this.nextSequence, message.sequenceNumber + 1);
  }

  restoreSequence(next: number): void {
    this.nextSequence = Math.max(this.nextSequence, next);
  }

  restoreSessionState(sessionId: string, state: Buffer): void {
    this.sessionStates.set(sessionId, state);
  }

  /** The next deliverable message for a receiver, locked to `owner`; undefined when there is none. */
  lockNext(now: number, owner: string, sessionId: string | undefined): Locked | undefined {
    if (this.config.requiresSession) {
      if (sessionId === undefined || !this.sessions.isHeldBy(sessionId, owner, now)) return undefined;
    }
    for (const message of this.messages.values()) {
      if (!this.isAvailable(message, now)) continue;
      if (sessionId !== undefined && message.sessionId !== sessionId) continue;
      return { message, lock: this.lock(message, owner, now) };
    }
    return undefined;
  }

  /** Removes and returns the next deliverable message (receive-and-delete mode). */
  takeNext(now: number, owner: string, sessionId: string | undefined): BrokerMessage | undefined {
    const next = this.lockNext(now, owner, sessionId);
    if (!next) return undefined;
    this.dropLock(next.lock.token);
    this.delete(next.message);
    return next.message;
  }

  /**
   * Settlement of a session entity's message goes through the session: a receiver whose session lock ended
   * (expired, or taken over after expiry) gets `SessionLockLost` for every message it still holds.
   */
  requireSessionHeld(sessionId: string, owner: string | undefined, now: number): void {
    const holder = this.sessions.holder(sessionId, now);
    if (!holder || (owner !== undefined && holder.owner !== owner))
      throw BrokerError.sessionLockLost(sessionId);
  }

  complete(token: string, now: number): void {
    const { message } = this.requireLock(token, now);
    this.dropLock(token);
    this.delete(message);
  }

  abandon(token: string, now: number, propertiesToModify?: Record<string, unknown>): void {
    const { message } = this.requireLock(token, now);
    this.dropLock(token);
    this.mergeProperties(message, propertiesToModify);
    this.afterUnsettledDelivery(message, now);
  }

  defer(token: string, now: number, propertiesToModify?: Record<string, unknown>): void {
    const { message } = this.requireLock(token, now);
    this.dropLock(token);
    this.mergeProperties(message, propertiesToModify);
    message.state = 'deferred';
    this.journal.put(this.path, message);
  }

  deadLetter(token: string, now: number, info: DeadLetterInfo): void {
    const { message } = this.requireLock(token, now);
    this.dropLock(token);
    this.moveToDeadLetter(message, now, info);
  }

  /** On a session entity the message lock is the session's: renewing it answers the session lock's expiry. */
  renewLock(token: string, now: number): number {
    const { message, lock } = this.requireLock(token, now);
    const session =
      message.sessionId === undefined ? undefined : this.sessions.holder(message.sessionId, now);
    lock.until = this.config.requiresSession && session ? session.until : now + this.config.lockDurationMs;
    return lock.until;
  }

  /**
   * `receiveDeferredMessages`: deferred messages by sequence number. Each is a delivery (its delivery count
   * goes up, as on Azure); in peek-lock mode it is locked (and stays deferred until settled), in
   * receive-and-delete mode it is removed. All are found before any is touched.
   */
  receiveDeferred(
    sequenceNumbers: readonly number[],
    now: number,
    owner: string,
    options: { readonly sessionId?: string; readonly receiveAndDelete?: boolean } = {},
  ): ReceivedDeferred[] {
    const found = sequenceNumbers.map((sequenceNumber) => {
      const message = this.messages.get(sequenceNumber);
      const inSession = options.sessionId === undefined || message?.sessionId === options.sessionId;
      if (!message || message.state !== 'deferred' || !inSession) {
        throw BrokerError.messageNotFound(
          `No deferred message with sequence number ${sequenceNumber} in '${this.path}'.`,
        );
      }
      return message;
    });
    return found.map((message) => {
      const existing = this.locks.ofMessage(message.sequenceNumber);
      if (existing) this.locks.drop(existing.token);
      if (!options.receiveAndDelete) return { message, lock: this.lock(message, owner, now) };
      this.countDelivery(message);
      this.delete(message);
      return { message, lock: undefined };
    });
  }

  isScheduled(sequenceNumber: number): boolean {
    return this.messages.get(sequenceNumber)?.state === 'scheduled';
  }

  cancelScheduled(sequenceNumbers: readonly number[]): void {
    for (const sequenceNumber of sequenceNumbers) {
      const message = this.messages.get(sequenceNumber);
      if (message?.state === 'scheduled') this.delete(message);
    }
  }

  /** Every message from a sequence number on, in order, whatever its state (Service Bus peek semantics). */
  peek(fromSequence: number, count: number, sessionId?: string): BrokerMessage[] {
    const out: BrokerMessage[] = [];
    for (const message of this.messages.values()) {
      if (out.length >= count) break;
      if (message.sequenceNumber < fromSequence) continue;
      if (sessionId !== undefined && message.sessionId !== sessionId) continue;
      out.push(message);
    }
    return out;
  }

  lockOf(sequenceNumber: number): MessageLock | undefined {
    return this.locks.ofMessage(sequenceNumber);
  }

  /** Time passes: locks expire, scheduled messages appear, old messages expire. True when anything changed. */
  tick(now: number): boolean {
    let changed = false;
    for (const sessionId of this.sessions.expire(now))
      changed = this.releaseSessionMessages(sessionId, now) || changed;
    // A session entity's message locks last as long as the session lock: they end with it, above.
    if (!this.config.requiresSession) {
      for (const lock of this.locks.all()) {
        if (lock.until > now) continue;
        const message = this.messages.get(lock.sequenceNumber);
        this.dropLock(lock.token);
        if (message) this.afterUnsettledDelivery(message, now);
        changed = true;
      }
    }
    for (const message of [...this.messages.values()]) {
      if (message.state === 'scheduled' && (message.scheduledAt ?? 0) <= now) {
        message.state = 'active';
        message.scheduledAt = undefined;
        message.enqueuedAt = now;
        this.journal.put(this.path, message);
        changed = true;
      } else if (message.expiresAt <= now && !this.locks.isLocked(message.sequenceNumber)) {
        this.expire(message, now);
        changed = true;
      }
    }
    return changed;
  }

  // Sessions -----------------------------------------------------------------------------------------------

  /** The session with the oldest deliverable message that nobody holds. */
  nextFreeSession(now: number): string | undefined {
    for (const message of this.messages.values()) {
      if (message.sessionId === undefined || !this.isAvailable(message, now)) continue;
      if (!this.sessions.holder(message.sessionId, now)) return message.sessionId;
    }
    return undefined;
  }

  /** A session's receiver went away: its session lock ends and its locked messages come back. */
  releaseOwner(owner: string, now: number): void {
    for (const sessionId of this.sessions.ownedBy(owner)) {
      this.sessions.release(sessionId, owner);
      this.releaseSessionMessages(sessionId, now);
    }
  }

  getSessionState(sessionId: string): Buffer | undefined {
    return this.sessionStates.get(sessionId);
  }

  setSessionState(sessionId: string, state: Buffer | undefined): void {
    if (state === undefined || state.length === 0) this.sessionStates.delete(sessionId);
    else this.sessionStates.set(sessionId, state);
    this.journal.sessionState(this.path, sessionId, state);
  }

  sessionIds(): string[] {
    const ids = new Set<string>(this.sessionStates.keys());
    for (const message of this.messages.values())
      if (message.sessionId !== undefined) ids.add(message.sessionId);
    return [...ids];
  }

  // Inspection, for tests and the health check ------------------------------------------------------------

  get size(): number {
    return this.messages.size;
  }

  all(): BrokerMessage[] {
    return [...this.messages.values()];
  }

  // Internals -------------------------------------------------------------------------------------------

  private isAvailable(message: BrokerMessage, now: number): boolean {
    return (
      message.state === 'active' && message.expiresAt > now && !this.locks.isLocked(message.sequenceNumber)
    );
  }

  /**
   * Locks a message for a delivery, and counts the delivery. On a session entity the lock is the session's:
   * it reports the session lock's expiry and lasts while the session lock is held and renewed.
   */
  private lock(message: BrokerMessage, owner: string, now: number): MessageLock {
    this.countDelivery(message);
    const session =
      message.sessionId === undefined ? undefined : this.sessions.holder(message.sessionId, now);
    const until = this.config.requiresSession && session ? session.until : now + this.config.lockDurationMs;
    return this.locks.take(message.sequenceNumber, owner, until);
  }

  private requireLock(token: string, now: number): { message: BrokerMessage; lock: MessageLock } {
    const lock = this.locks.get(token);
    const message = lock && this.messages.get(lock.sequenceNumber);
    if (!lock || !message) throw BrokerError.lockLost(token);
    if (message.sessionId !== undefined && this.config.requiresSession) {
      if (!this.sessions.holder(message.sessionId, now)) throw BrokerError.sessionLockLost(message.sessionId);
      return { message, lock };
    }
    if (lock.until <= now) throw BrokerError.lockLost(token);
    return { message, lock };
  }

  /** A dead-letter queue hands messages out without counting: they keep the count they were dead-lettered with. */
  private countDelivery(message: BrokerMessage): void {
    if (this.deadLetterQueue) message.deliveries += 1;
  }

  private dropLock(token: string): void {
    this.locks.drop(token);
  }

  private releaseSessionMessages(sessionId: string, now: number): boolean {
    let changed = false;
    for (const lock of this.locks.all()) {
      const message = this.messages.get(lock.sequenceNumber);
      if (message?.sessionId !== sessionId) continue;
      this.dropLock(lock.token);
      this.afterUnsettledDelivery(message, now);
      changed = true;
    }
    return changed;
  }

  /**
   * A delivery ended unsettled (abandoned, or its lock or session lock ran out): the message stays as it was
   * (active, or deferred), unless it has used up the entity's deliveries, when it is dead-lettered.
   */
  private afterUnsettledDelivery(message: BrokerMessage, now: number): void {
    if (this.deadLetterQueue && message.deliveries >= this.config.maxDeliveryCount) {
      this.moveToDeadLetter(message, now, {
        reason: 'MaxDeliveryCountExceeded',
        description: `Message could not be consumed after ${this.config.maxDeliveryCount} delivery attempts.`,
      });
      return;
    }
    this.journal.put(this.path, message);
  }

  private expire(message: BrokerMessage, now: number): void {
    if (this.config.deadLetterOnExpiration && this.deadLetterQueue) {
      this.moveToDeadLetter(message, now, {
        reason: 'TTLExpiredException',
        description: 'The message expired and was dead lettered.',
      });
    } else {
      this.delete(message);
    }
  }

  private moveToDeadLetter(message: BrokerMessage, now: number, info: DeadLetterInfo): void {
    const target = this.deadLetterQueue;
    if (!target) throw new BrokerError('amqp:not-allowed', `'${this.path}' has no dead-letter queue.`);
    const amqp: AmqpMessage = {
      ...message.amqp,
      application_properties: {
        ...(message.amqp.application_properties ?? {}),
        ...(info.properties ?? {}),
        DeadLetterReason: info.reason,
        DeadLetterErrorDescription: info.description,
      },
      message_annotations: {
        ...(message.amqp.message_annotations ?? {}),
        'x-opt-deadletter-source': this.path,
      },
    };
    this.delete(message);
    const moved = target.enqueue({ ...amqp, ttl: undefined }, now);
    moved.deliveries = message.deliveries;
  }

  /** `propertiesToModify` of an abandon or defer: Service Bus merges them into the application properties. */
  private mergeProperties(message: BrokerMessage, properties: Record<string, unknown> | undefined): void {
    if (!properties || Object.keys(properties).length === 0) return;
    message.amqp = {
      ...message.amqp,
      application_properties: { ...(message.amqp.application_properties ?? {}), ...properties },
    };
  }

  private delete(message: BrokerMessage): void {
    this.messages.delete(message.sequenceNumber);
    this.journal.remove(this.path, message.sequenceNumber);
  }
}
