import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { processRunning } from '../os/process-alive';

/**
 * The Azurite process that serves a data folder, recorded in `<location>/azurite-instance.json`.
 *
 * Azurite leads a process group of its own, so it outlives a `start` that was killed with SIGKILL (a crash,
 * the OOM killer, `kill -9`): its ports stay taken and its folder in use. The next start with the same
 * data folder reads this record to recognise that Azurite as its own, left behind, rather than a stranger
 * on the port: it adopts it, or stops it before starting a new one (two Azurites must never share a folder).
 */
export interface AzuriteInstance {
  readonly pid: number;
  readonly blob: number;
  readonly queue: number;
  readonly table: number;
}

const instanceSchema = z.object({
  pid: z.number().int().positive(),
  blob: z.number().int().positive(),
  queue: z.number().int().positive(),
  table: z.number().int().positive(),
});

const FILE = 'azurite-instance.json';

export function recordInstance(location: string, instance: AzuriteInstance): void {
  writeFileSync(join(location, FILE), `${JSON.stringify(instance)}\n`);
}

/** Removes the record if it still names `pid` (a newer instance may have replaced it). */
export function forgetInstance(location: string, pid: number): void {
  if (readRecord(location)?.pid === pid) rmSync(join(location, FILE), { force: true });
}

/**
 * The recorded instance when it is still running: its pid is alive and its command line is an Azurite
 * serving exactly `location` (so a recycled pid is not mistaken for it). Needs `/proc` (Linux): elsewhere
 * nothing is recognised and a leftover Azurite is reported as a port in use, as before.
 */
export function runningInstance(location: string): AzuriteInstance | undefined {
  const recorded = readRecord(location);
  if (!recorded || !processRunning(recorded.pid)) return undefined;
  let args: string[];
  try {
    args = readFileSync(`/proc/${recorded.pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return undefined;
  }
  const at = args.indexOf('--location');
  const servesLocation = at >= 0 && args[at + 1] === location;
  return servesLocation && args.some((arg) => /azurite/.test(arg)) ? recorded : undefined;
}

/**
 * Stops a process group that is not our child (so there is no exit event to wait for): SIGTERM, SIGKILL
 * after `graceMs`, then waits (at most 5 s more) until its leader is gone or a zombie.
 */
export async function stopInstance(pid: number, graceMs: number): Promise<void> {
  signalGroup(pid, 'SIGTERM');
  const graceEnd = Date.now() + graceMs;
  while (processRunning(pid) && Date.now() < graceEnd) await sleep(50);
  const reapEnd = Date.now() + 5_000;
  while (processRunning(pid) && Date.now() < reapEnd) {
    signalGroup(pid, 'SIGKILL');
    await sleep(20);
  }
}

/**
 * Resolves once a process that is not our child (an adopted Azurite) has gone, polled every `everyMs`, or
 * when `stopped` aborts: there is no exit event for a process someone else started.
 */
export async function exitOfInstance(pid: number, stopped: AbortSignal, everyMs = 500): Promise<void> {
  while (processRunning(pid) && !stopped.aborted) {
    await sleep(everyMs, undefined, { signal: stopped }).catch(() => undefined);
  }
}

function readRecord(location: string): AzuriteInstance | undefined {
  const path = join(location, FILE);
  if (!existsSync(path)) return undefined;
  try {
    const parsed = instanceSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // torn or foreign: no instance to recognise
  }
}

export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  if (pid <= 0) return;
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
