import { setTimeout as sleep } from 'node:timers/promises';
import { groupRunning } from './process-alive';
import { signalGroup } from './signals';

/** How long SIGKILL may take to empty a group before the stop gives up waiting (a process in D state). */
const KILL_WAIT_MS = 5_000;

/**
 * Stops every process of the group led by `pgid`: SIGTERM, and SIGKILL to whatever is still running after
 * `graceMs` (at once when it is 0). Resolves once no member is running any more, or when SIGKILL has not
 * managed that within 5 s. Works for any group, whether its leader is our child or not; never rejects.
 */
export async function stopGroup(pgid: number, graceMs: number): Promise<void> {
  if (!groupRunning(pgid)) return;
  if (graceMs > 0) {
    signalGroup(pgid, 'SIGTERM');
    const graceEnd = Date.now() + graceMs;
    while (Date.now() < graceEnd) {
      await sleep(Math.min(50, graceMs));
      if (!groupRunning(pgid)) return;
    }
  }
  const killEnd = Date.now() + KILL_WAIT_MS;
  while (signalGroup(pgid, 'SIGKILL') && groupRunning(pgid) && Date.now() < killEnd) await sleep(20);
}
