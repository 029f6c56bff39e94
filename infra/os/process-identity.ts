import { formatOwnerRecord, ownerRecordOf, ownerState, parseOwnerRecord } from './owner-record';

/**
 * A process's owner record (owner-record.ts) as one text value, for a table column: the planning lease
 * names its holding process with it, so that a process of the same machine can see the holder died.
 * Undefined where the pid space cannot be read (not Linux): a holder that cannot be judged is not named.
 */
export function processIdentity(pid: number = process.pid): string | undefined {
  const owner = ownerRecordOf(pid);
  return owner.boot === undefined ? undefined : formatOwnerRecord(owner);
}

/**
 * True only when `identity` names a process of this machine and pid namespace that is gone. A process
 * elsewhere, a running one or a value that is no owner record (an older format) is not gone.
 */
export function isProcessGone(identity: string): boolean {
  const owner = parseOwnerRecord(identity);
  return owner !== undefined && ownerState(owner) === 'gone';
}
