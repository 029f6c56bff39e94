import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { commandLineOf } from '../os/proc-files';
import { processRunning } from '../os/process-alive';
import { ownerRecordOf, ownerRecordSchema, ownerState } from '../os/owner-record';

/**
 * The Azurite process that serves a data folder, recorded in `<location>/azurite-instance.json`: its owner
 * record (owner-record.ts) with its ports added.
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

const port = z.number().int().positive();
const recordSchema = ownerRecordSchema.extend({ blob: port, queue: port, table: port });

const FILE = 'azurite-instance.json';

export function recordInstance(location: string, instance: AzuriteInstance): void {
  const { pid, ...ports } = instance;
  writeFileSync(join(location, FILE), `${JSON.stringify({ ...ownerRecordOf(pid), ...ports })}\n`);
}

/** Removes the record if it still names `pid` (a newer instance may have replaced it). */
export function forgetInstance(location: string, pid: number): void {
  if (readRecord(location)?.pid === pid) rmSync(join(location, FILE), { force: true });
}

/**
 * The recorded instance when it is still running: the recorded process runs (owner-record.ts: not a
 * recycled pid) and its command line is an Azurite serving exactly `location`. Needs `/proc` (Linux):
 * elsewhere nothing is recognised and a leftover Azurite is reported as a port in use, as before.
 */
export function runningInstance(location: string): AzuriteInstance | undefined {
  const recorded = readRecord(location);
  if (!recorded || ownerState(recorded) !== 'running') return undefined;
  const args = commandLineOf(recorded.pid) ?? [];
  const at = args.indexOf('--location');
  const servesLocation = at >= 0 && args[at + 1] === location;
  if (!servesLocation || !args.some((arg) => /azurite/.test(arg))) return undefined;
  return { pid: recorded.pid, blob: recorded.blob, queue: recorded.queue, table: recorded.table };
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

function readRecord(location: string): z.infer<typeof recordSchema> | undefined {
  const path = join(location, FILE);
  if (!existsSync(path)) return undefined;
  try {
    const parsed = recordSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // torn, foreign or of an older format: no instance to recognise
  }
}
