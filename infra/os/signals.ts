/**
 * Signals to one process or to a whole process group. Neither throws: whoever signals is stopping or
 * probing, and a target that is gone (ESRCH) or not ours (EPERM) is reported, not an error. Signal 0
 * delivers nothing and only asks whether the target exists and may be signalled.
 */

/** True when `signal` was delivered to `pid`. A pid below 1 (0 and -1 mean groups to the kernel) is refused. */
export function signalProcess(pid: number, signal: NodeJS.Signals | 0): boolean {
  return pid > 0 && send(pid, signal);
}

/**
 * True when `signal` was delivered to the members of the group led by `pgid`; false when it has none left.
 * Groups 0 and 1 are refused: `kill(-1)` would signal every process we may signal, and group 1 is init's.
 */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  return pgid > 1 && send(-pgid, signal);
}

function send(target: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(target, signal);
    return true;
  } catch {
    return false;
  }
}
