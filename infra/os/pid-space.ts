import { readFileSync, readlinkSync } from 'node:fs';

/**
 * Where a pid means one process: the running kernel (its boot id, new at every boot) and the pid namespace
 * (a container has its own). Two processes that share both see the same pids, so for them "no such pid"
 * really means "gone". Undefined where that cannot be read (not Linux).
 */
export interface PidSpace {
  readonly boot: string;
  readonly pidNamespace: string;
}

let cached: PidSpace | null | undefined;

/** This process's pid space, read once. */
export function pidSpace(): PidSpace | undefined {
  if (cached === undefined) {
    try {
      const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
      const pidNamespace = readlinkSync('/proc/self/ns/pid');
      cached = boot && pidNamespace ? { boot, pidNamespace } : null;
    } catch {
      cached = null;
    }
  }
  return cached ?? undefined;
}
