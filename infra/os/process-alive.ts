import { readFileSync } from 'node:fs';

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
  if (!processExists(pid)) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}
