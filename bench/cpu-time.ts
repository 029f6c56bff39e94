import { readFileSync } from 'node:fs';

/**
 * CPU time next to wall time, for benchmarks on a shared machine: wall time there swings with what other
 * processes do (and with the kernel's write-back of dirty pages), the CPU a piece of work burns much less.
 * Counted: this process (all its threads, libuv's pool included) and the children it has waited for, such as
 * a `spawnSync` tool or the `qemu-img map` an adapter runs. Linux only (`/proc/self/stat`).
 */
export interface WallAndCpu {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** USER_HZ: the unit of the child times in `/proc/<pid>/stat`, 100 on every Linux architecture we run on. */
const CLOCK_TICKS_PER_SECOND = 100;

/** User + system time of the children this process has waited for, in ms (10 ms resolution). */
function waitedChildrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // Fields after the command name (which may hold spaces) start at field 3; cutime and cstime are 16 and 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[13]) + Number(fields[14]);
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

function cpuMsNow(): number {
  const own = process.cpuUsage();
  return (own.user + own.system) / 1000 + waitedChildrenCpuMs();
}

/** Runs `work`, returning its wall time and the CPU time this process and its waited-for children spent. */
export async function timedWithCpu(work: () => Promise<void> | void): Promise<WallAndCpu> {
  const cpuBefore = cpuMsNow();
  const started = performance.now();
  await work();
  const wallMs = performance.now() - started;
  return { wallMs, cpuMs: cpuMsNow() - cpuBefore };
}
