import { spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BuildEnd } from '../../../shared/build/log-classify';

export interface LoggedRun {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** stdout and stderr both go here, interleaved as written (the file is created or truncated). */
  readonly logPath: string;
  readonly timeLimitMs: number;
  readonly signal?: AbortSignal;
  /** How long SIGTERM may take before SIGKILL (default 2 s). */
  readonly killGraceMs?: number;
}

/**
 * Runs a command in its own process group with its output in a log file, and reports how it ended. At the
 * time limit (or on abort) the whole group gets SIGTERM, then SIGKILL after the grace period; when the command
 * ends by itself, whatever it left running in its group is killed too. The promise settles only once the group
 * is empty, so no process of the run outlives it.
 */
export async function runLogged(run: LoggedRun): Promise<BuildEnd> {
  const fd = openSync(run.logPath, 'w');
  writeSync(fd, `+ ${[run.command, ...run.args].map(quote).join(' ')}\n`);
  let stopped: BuildEnd | undefined;
  try {
    const child = spawn(run.command, run.args, {
      cwd: run.cwd,
      env: run.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    const exited = new Promise<BuildEnd>((resolve) => {
      child.once('error', (error) => resolve({ kind: 'not-started', reason: error.message }));
      child.once('exit', (code, signal) => resolve({ kind: 'exited', code, signal }));
    });
    const stop = (end: BuildEnd): void => {
      if (stopped !== undefined || child.pid === undefined) return;
      stopped = end;
      void killGroup(child.pid, run.killGraceMs ?? 2_000);
    };
    const timer = setTimeout(() => stop({ kind: 'timed-out', limitMs: run.timeLimitMs }), run.timeLimitMs);
    const onAbort = (): void => stop({ kind: 'cancelled' });
    run.signal?.addEventListener('abort', onAbort, { once: true });
    if (run.signal?.aborted) onAbort();
    const end = await exited;
    clearTimeout(timer);
    run.signal?.removeEventListener('abort', onAbort);
    if (child.pid !== undefined) await killGroup(child.pid, 0);
    return end.kind === 'not-started' ? end : (stopped ?? end);
  } finally {
    closeSync(fd);
  }
}

/**
 * SIGTERM to the group, SIGKILL after `graceMs`, then waits until no member is left: at most 5 s more, since
 * an orphan that was killed but is never reaped (a container without an init) stays a member as a zombie.
 */
async function killGroup(pgid: number, graceMs: number): Promise<void> {
  if (!signalGroup(pgid, graceMs > 0 ? 'SIGTERM' : 'SIGKILL')) return;
  const graceEnd = Date.now() + graceMs;
  while (Date.now() < graceEnd) {
    await sleep(50);
    if (!signalGroup(pgid, 0)) return;
  }
  const reapEnd = Date.now() + 5_000;
  while (signalGroup(pgid, 'SIGKILL') && Date.now() < reapEnd) await sleep(20);
}

/** Sends `signal` to every process of the group; false when the group has no member left. */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

const quote = (arg: string): string =>
  /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
