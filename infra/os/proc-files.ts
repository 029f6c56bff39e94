import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * What `/proc` tells about other processes besides their stat (proc-stat.ts). Every reader answers
 * undefined for a process that is gone or not ours to inspect, and for everything where there is no
 * `/proc` (not Linux), so callers find nothing there, as they always did.
 */

/** The pids in `/proc`, or undefined when it cannot be listed. */
export function processIds(): number[] | undefined {
  try {
    return readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .map(Number);
  } catch {
    return undefined;
  }
}

/** Pids of the processes (this one included) for which `matches` holds; one that throws does not match. */
export function findProcesses(matches: (pid: number) => boolean): number[] {
  return (processIds() ?? []).filter((pid) => {
    try {
      return matches(pid);
    } catch {
      return false; // gone while we looked
    }
  });
}

/** The command and its arguments (a zombie's and a kernel thread's are empty). */
export function commandLineOf(pid: number): string[] | undefined {
  return nulSeparated(pid, 'cmdline');
}

/** `NAME=value` entries of the environment it started with (a zombie's is empty). */
export function environmentOf(pid: number): string[] | undefined {
  return nulSeparated(pid, 'environ');
}

/** Its current working directory. */
export function workingDirectoryOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}

/** The entries of a NUL-separated list (`cmdline`, `environ`), the empty one after the last NUL dropped. */
export function splitNulList(text: string): string[] {
  const entries = text.split('\0');
  if (entries.at(-1) === '') entries.pop();
  return entries;
}

function nulSeparated(pid: number, file: 'cmdline' | 'environ'): string[] | undefined {
  try {
    return splitNulList(readFileSync(`/proc/${pid}/${file}`, 'utf8'));
  } catch {
    return undefined;
  }
}
