import { BrokerError } from './broker-error';

export interface SessionLock {
  readonly owner: string;
  until: number;
}

/** Who holds which session, until when. A session is held by one receiver at a time. */
export class SessionLocks {
  private readonly locks = new Map<string, SessionLock>();

  constructor(private readonly lockDurationMs: number) {}

  holder(sessionId: string, now: number): SessionLock | undefined {
    const lock = this.locks.get(sessionId);
    return lock && lock.until > now ? lock : undefined;
  }

  isHeldBy(sessionId: string, owner: string, now: number): boolean {
    return this.holder(sessionId, now)?.owner === owner;
  }

  acquire(sessionId: string, owner: string, now: number): SessionLock {
    const current = this.holder(sessionId, now);
    if (current && current.owner !== owner) {
      throw new BrokerError(
        'com.microsoft:session-cannot-be-locked',
        `The session '${sessionId}' is locked by another receiver.`,
        410,
      );
    }
    const lock = { owner, until: now + this.lockDurationMs };
    this.locks.set(sessionId, lock);
    return lock;
  }

  renew(sessionId: string, owner: string | undefined, now: number): number {
    const lock = this.holder(sessionId, now);
    if (!lock || (owner !== undefined && lock.owner !== owner)) throw BrokerError.sessionLockLost(sessionId);
    lock.until = now + this.lockDurationMs;
    return lock.until;
  }

  release(sessionId: string, owner: string): void {
    if (this.locks.get(sessionId)?.owner === owner) this.locks.delete(sessionId);
  }

  /** Removes expired locks and returns the sessions they were on. */
  expire(now: number): string[] {
    const expired: string[] = [];
    for (const [sessionId, lock] of this.locks) {
      if (lock.until <= now) {
        this.locks.delete(sessionId);
        expired.push(sessionId);
      }
    }
    return expired;
  }

  ownedBy(owner: string): string[] {
    return [...this.locks].filter(([, lock]) => lock.owner === owner).map(([id]) => id);
  }
}
