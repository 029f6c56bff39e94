import { sep } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findProcesses, workingDirectoryOf } from '../os/proc-files';
import { readProcStat } from '../os/proc-stat';
import { signalGroup, signalProcess } from '../os/signals';

/**
 * Processes a dead lock owner left working in a folder. A build's `rpmbuild` runs in a process group of its
 * own (so a time limit can stop all of it), which also means it outlives a worker killed with SIGKILL: the
 * orphaned group keeps writing into the component's fixed build folder. Before a new owner empties and
 * reuses that folder, every process whose working directory is inside it is stopped, with its whole group.
 *
 * Linux only (it reads `/proc`); elsewhere nothing is found, as before.
 */
export async function stopProcessesWorkingIn(
  folder: string,
  options: { readonly waitMs?: number } = {},
): Promise<number[]> {
  const found = processesWorkingIn(folder);
  if (found.length === 0) return [];
  const ownGroup = readProcStat(process.pid)?.group;
  const groups = new Set(found.map((p) => p.group).filter((g) => g !== ownGroup));
  for (const group of groups) signalGroup(group, 'SIGKILL');
  for (const { pid } of found) signalProcess(pid, 'SIGKILL');
  // SIGKILL is not instant: wait (bounded) until none of them works there any more, so the caller's
  // `rm -rf` does not race a dying build.
  const deadline = Date.now() + (options.waitMs ?? 5_000);
  while (processesWorkingIn(folder).length > 0 && Date.now() < deadline) await sleep(20);
  return found.map((p) => p.pid);
}

/** Live processes (other than this one) whose current directory is `folder` or below it. */
export function processesWorkingIn(folder: string): { pid: number; group: number }[] {
  const inside = (cwd: string | undefined): boolean =>
    cwd !== undefined && (cwd === folder || cwd.startsWith(folder + sep));
  return findProcesses((pid) => pid !== process.pid && inside(workingDirectoryOf(pid))).flatMap((pid) => {
    const stat = readProcStat(pid);
    // A zombie (killed, not yet reaped by its parent) no longer works anywhere.
    return stat === undefined || stat.state === 'Z' ? [] : [{ pid, group: stat.group }];
  });
}
