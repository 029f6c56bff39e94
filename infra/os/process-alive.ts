import { findProcesses } from './proc-files';
import { readProcStat } from './proc-stat';
import type { ProcStat } from './proc-stat';
import { signalGroup } from './signals';

/**
 * Whether a process with this pid exists on this machine (signal 0; EPERM means it exists but is someone
 * else's). A zombie still counts: it exists until its parent reaps it.
 */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Exists and is not a zombie (a killed orphan nobody reaped yet holds no port and does no work). */
export function processRunning(pid: number): boolean {
  return processExists(pid) && readProcStat(pid)?.state !== 'Z';
}

/**
 * Whether the group led by `pgid` has a member that is not a zombie. An orphan that was killed but is never
 * reaped (a container without an init) stays a member as a zombie forever, so "no member at all" is not
 * something to wait for. Members we may not signal do not count: nothing here could stop them. Without
 * `/proc` (not Linux) any member counts.
 */
export function groupRunning(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  const leader = readProcStat(pgid);
  if (leader === undefined && readProcStat(process.pid) === undefined) return true; // no /proc
  // The leader is usually the one still running: no need to look through every process for that.
  const running = (stat: ProcStat | undefined): boolean => stat?.group === pgid && stat.state !== 'Z';
  return running(leader) || findProcesses((pid) => running(readProcStat(pid))).length > 0;
}
