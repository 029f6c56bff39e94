import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { stopGroup } from './stop-group';

/** How a child ended: it exited (by itself or by a signal), or it never started (no such command, ...). */
export type ChildEnd =
  | { readonly kind: 'exited'; readonly code: number | null; readonly signal: NodeJS.Signals | null }
  | { readonly kind: 'not-started'; readonly error: Error };

/**
 * A child process leading a process group (and session) of its own, so that stopping it reaches everything
 * it started (compilers under rpmbuild, git's transport helpers, Erlang under the RabbitMQ script), and a
 * signal meant for our own group (Ctrl-C in a terminal) does not reach it. POSIX only: Windows has no
 * process groups.
 */
export class GroupLeader {
  /** Settles once: when the child has exited, or failed to start at all. */
  readonly ended: Promise<ChildEnd>;

  constructor(readonly child: ChildProcess) {
    this.ended = new Promise((resolve) => {
      child.on('error', (error) => {
        if (child.pid === undefined) resolve({ kind: 'not-started', error });
      });
      child.once('exit', (code, signal) => resolve({ kind: 'exited', code, signal }));
    });
  }

  /** The pid, which is also the group id; undefined when the child did not start. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Started and not exited yet. */
  running(): boolean {
    return this.child.pid !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Stops the group (stop-group.ts: SIGTERM, SIGKILL after `graceMs`), waits for the child's exit, and
   * closes our ends of its pipes: a helper that moved to a session of its own may still hold them open.
   */
  async terminate(graceMs: number): Promise<void> {
    if (this.child.pid === undefined) return;
    await stopGroup(this.child.pid, graceMs);
    await this.ended;
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
  }
}

/** Spawns `command` (never through a shell) as the leader of a new process group. */
export function spawnGroupLeader(
  command: string,
  args: readonly string[],
  options: Omit<SpawnOptions, 'detached' | 'shell'>,
): GroupLeader {
  return new GroupLeader(spawn(command, args, { ...options, detached: true }));
}
