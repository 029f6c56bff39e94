import { closeSync, openSync, writeSync } from 'node:fs';
import { spawnGroupLeader } from '../../os/group-leader';
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
 * ends by itself, whatever it left running in its group is killed too. The promise settles only once nothing of
 * the group runs any more (group-leader.ts), so no process of the run outlives it.
 */
export async function runLogged(run: LoggedRun): Promise<BuildEnd> {
  const fd = openSync(run.logPath, 'w');
  writeSync(fd, `+ ${[run.command, ...run.args].map(quote).join(' ')}\n`);
  let stopped: BuildEnd | undefined;
  try {
    const leader = spawnGroupLeader(run.command, run.args, {
      cwd: run.cwd,
      env: run.env,
      stdio: ['ignore', fd, fd],
    });
    const stop = (end: BuildEnd): void => {
      if (stopped !== undefined || leader.pid === undefined) return;
      stopped = end;
      void leader.terminate(run.killGraceMs ?? 2_000);
    };
    const timer = setTimeout(() => stop({ kind: 'timed-out', limitMs: run.timeLimitMs }), run.timeLimitMs);
    const onAbort = (): void => stop({ kind: 'cancelled' });
    run.signal?.addEventListener('abort', onAbort, { once: true });
    if (run.signal?.aborted) onAbort();
    const end = await leader.ended;
    clearTimeout(timer);
    run.signal?.removeEventListener('abort', onAbort);
    if (end.kind === 'not-started') return { kind: 'not-started', reason: end.error.message };
    // Whatever the command left running in its group goes too.
    await leader.terminate(0);
    return stopped ?? end;
  } finally {
    closeSync(fd);
  }
}

const quote = (arg: string): string =>
  /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
