import { readFileSync, readlinkSync } from 'node:fs';
import { processExists } from '../os/process-alive';

/**
 * A process named so that another process can tell whether it is still running: `<boot id>/<pid
 * namespace>/<pid>`. Two processes that share the boot id (the same running kernel) and the pid namespace
 * see the same pids, so for them "no such pid" really means "gone". Undefined where that cannot be read
 * (not Linux); such a name is never judged gone.
 */
export function processIdentity(pid: number = process.pid): string | undefined {
  const space = pidSpace();
  return space === undefined ? undefined : `${space}/${pid}`;
}

/**
 * True only when `identity` names a process of this machine and pid namespace that no longer exists. A
 * process elsewhere, an unreadable name or a pid that is in use (perhaps by another process) is not gone.
 */
export function isProcessGone(identity: string): boolean {
  const space = pidSpace();
  const at = identity.lastIndexOf('/');
  const pid = Number(identity.slice(at + 1));
  if (space === undefined || identity.slice(0, at) !== space || !Number.isInteger(pid) || pid <= 0) {
    return false;
  }
  return !processExists(pid);
}

let cached: string | null | undefined;

function pidSpace(): string | undefined {
  if (cached === undefined) {
    try {
      const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
      const namespace = readlinkSync('/proc/self/ns/pid');
      cached = boot && namespace ? `${boot}/${namespace}` : null;
    } catch {
      cached = null;
    }
  }
  return cached ?? undefined;
}
