import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/** A pid that was just used and is now free. */
export function deadPid(): number {
  return Number(spawnSync('sh', ['-c', 'echo $$']).stdout.toString().trim());
}

/**
 * A zombie and the process that will never reap it: `sh` starts a short `sleep` in the background and then
 * becomes a long `sleep`, which does not wait for children. Kill the parent to let init reap the zombie.
 * With `ownGroup`, the zombie is the only member of a process group (and session) of its own.
 */
export async function zombie(
  options: { ownGroup?: boolean } = {},
): Promise<{ pid: number; parent: ChildProcess }> {
  const script = `${options.ownGroup === true ? 'setsid ' : ''}sleep 0.1 & echo $!; exec sleep 30`;
  const parent = spawn('sh', ['-c', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  const [line] = (await parent.stdout!.take(1).toArray()) as Buffer[];
  const pid = Number(line?.toString().trim());
  await until(() => stateOf(pid)?.startsWith('Z') === true).catch((error: unknown) => {
    parent.kill('SIGKILL');
    throw error;
  });
  return { pid, parent };
}

/**
 * Pids and states of the members of a process group, from `ps` (independent of the code under test);
 * zombies excluded unless asked for.
 */
export function groupMembers(pgid: number, options: { zombies?: boolean } = {}): number[] {
  return psRows()
    .filter((row) => row.group === pgid && (options.zombies === true || !row.state.startsWith('Z')))
    .map((row) => row.pid);
}

export function stateOf(pid: number): string | undefined {
  return psRows().find((row) => row.pid === pid)?.state;
}

function psRows(): { pid: number; group: number; state: string }[] {
  const out = spawnSync('ps', ['-eo', 'pid=,pgid=,stat=']).stdout.toString();
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length === 3)
    .map(([pid, group, state]) => ({ pid: Number(pid), group: Number(group), state: state ?? '' }));
}

export async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}
