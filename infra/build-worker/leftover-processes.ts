import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { sep } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

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
  const ownGroup = groupOf(process.pid);
  const groups = new Set(found.map((p) => p.group).filter((g) => g > 1 && g !== ownGroup));
  for (const group of groups) signal(-group);
  for (const { pid } of found) signal(pid);
  // SIGKILL is not instant: wait (bounded) until none of them works there any more, so the caller's
  // `rm -rf` does not race a dying build.
  const deadline = Date.now() + (options.waitMs ?? 5_000);
  while (processesWorkingIn(folder).length > 0 && Date.now() < deadline) await sleep(20);
  return found.map((p) => p.pid);
}

/** Live processes (other than this one) whose current directory is `folder` or below it. */
export function processesWorkingIn(folder: string): { pid: number; group: number }[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const found: { pid: number; group: number }[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if (cwd !== folder && !cwd.startsWith(folder + sep)) continue;
      const group = groupOf(Number(entry));
      // A zombie (killed, not yet reaped by its parent) no longer works anywhere.
      if (stateOf(Number(entry)) !== 'Z') found.push({ pid: Number(entry), group });
    } catch {
      // gone while we looked, or not ours to inspect
    }
  }
  return found;
}

/** Fields of `/proc/<pid>/stat` after the command (which may hold spaces and parentheses). */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

const stateOf = (pid: number): string => statFields(pid)[0] ?? '';

function groupOf(pid: number): number {
  try {
    return Number(statFields(pid)[2]);
  } catch {
    return 0;
  }
}

function signal(target: number): void {
  try {
    process.kill(target, 'SIGKILL');
  } catch {
    // already gone
  }
}
