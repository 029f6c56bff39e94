import type { MessageLock } from './broker-message';
import { newLockToken } from './lock-tokens';

/** The peek-locks of one entity: by lock token, and which message each holds (one lock per message). */
export class MessageLocks {
  private readonly byToken = new Map<string, MessageLock>();
  private readonly bySequence = new Map<number, string>();

  take(sequenceNumber: number, owner: string, until: number): MessageLock {
    const lock: MessageLock = { token: newLockToken(), sequenceNumber, until, owner };
    this.byToken.set(lock.token, lock);
    this.bySequence.set(sequenceNumber, lock.token);
    return lock;
  }

  get(token: string): MessageLock | undefined {
    return this.byToken.get(token);
  }

  isLocked(sequenceNumber: number): boolean {
    return this.bySequence.has(sequenceNumber);
  }

  ofMessage(sequenceNumber: number): MessageLock | undefined {
    const token = this.bySequence.get(sequenceNumber);
    return token === undefined ? undefined : this.byToken.get(token);
  }

  drop(token: string): void {
    const lock = this.byToken.get(token);
    if (!lock) return;
    this.byToken.delete(token);
    if (this.bySequence.get(lock.sequenceNumber) === token) this.bySequence.delete(lock.sequenceNumber);
  }

  /** A snapshot, so callers may drop locks while they walk it. */
  all(): MessageLock[] {
    return [...this.byToken.values()];
  }
}
