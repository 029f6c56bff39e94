import { readFileSync } from 'node:fs';

/** The fields of `/proc/<pid>/stat` this project reads (proc(5) numbers them 1, 2, 3, 4, 5, 6 and 22). */
export interface ProcStat {
  readonly pid: number;
  /** The executable's name, at most 15 bytes: it may hold spaces and parentheses. */
  readonly command: string;
  /** One letter: R running, S sleeping, D waiting on a device, Z zombie (dead, not reaped yet), ... */
  readonly state: string;
  readonly parent: number;
  /** The process group: a group leader's pid, shared by everything it started but did not move out. */
  readonly group: number;
  readonly session: number;
  /** When it started, in clock ticks after boot: with the pid, names one process even once the pid is reused. */
  readonly startTime: number;
}

/**
 * Parses a `/proc/<pid>/stat` line: `pid (command) state parent group session ...`. The command is cut at
 * the last `)`, since the name itself may hold `) ` and spaces. Undefined for anything else.
 */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf(' (');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const fields = text
    .slice(close + 2)
    .trim()
    .split(' ');
  // After the command, fields[0] is proc(5)'s field 3: field n is at n - 3.
  const numberAt = (field: number): number => Number(fields[field - 3] ?? Number.NaN);
  const stat = {
    pid: Number(text.slice(0, open)),
    command: text.slice(open + 2, close),
    state: fields[0] ?? '',
    parent: numberAt(4),
    group: numberAt(5),
    session: numberAt(6),
    startTime: numberAt(22),
  };
  const numbers = [stat.pid, stat.parent, stat.group, stat.session, stat.startTime];
  return /^[A-Za-z]$/.test(stat.state) && numbers.every(Number.isInteger) ? stat : undefined;
}

/** The stat of a process, or undefined when it does not exist (or there is no `/proc`: not Linux). */
export function readProcStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}
