import { hostname } from 'node:os';
import { z } from 'zod';
import { processExists } from './process-alive';
import { commandLineOf } from './proc-files';
import { readProcStat } from './proc-stat';
import { pidSpace } from './pid-space';

/**
 * "This resource is held by process X", in the one format every holder writes: the build folder lock, the
 * planning lease and the Azurite instance record. A pid alone is not enough to tell later whether X still
 * runs: the pid may have been reused, or belong to another boot or container. So the record names X by its
 * pid space (pid-space.ts), pid and start time, and says who it was for humans (host and command).
 */
export const ownerRecordSchema = z.object({
  pid: z.number().int().positive(),
  /** Clock ticks after boot when it started (proc-stat.ts); absent where there is no `/proc`. */
  startTime: z.number().int().nonnegative().optional(),
  /** The pid space the pid belongs to; both absent where it cannot be read (not Linux). */
  boot: z.string().min(1).optional(),
  pidNamespace: z.string().min(1).optional(),
  host: z.string(),
  /** Its command line, shortened: only for people reading the record. */
  command: z.string(),
});

export type OwnerRecord = z.infer<typeof ownerRecordSchema>;

/**
 * `running`: it is the recorded process and not a zombie. `gone`: no process runs under that pid, or it is
 * a zombie, or another process that started later. `elsewhere`: its pid space is not ours (another machine,
 * boot or container), so nothing here can tell.
 */
export type OwnerState = 'running' | 'gone' | 'elsewhere';

const COMMAND_CHARS = 200;

/** The record naming process `pid` (this process by default), as seen from this process. */
export function ownerRecordOf(pid: number = process.pid): OwnerRecord {
  const startTime = readProcStat(pid)?.startTime;
  const args = commandLineOf(pid) ?? (pid === process.pid ? process.argv : []);
  return {
    pid,
    ...(startTime === undefined ? {} : { startTime }),
    ...pidSpace(),
    host: hostname(),
    command: args.join(' ').slice(0, COMMAND_CHARS),
  };
}

export function ownerState(owner: OwnerRecord): OwnerState {
  const here = pidSpace();
  if (owner.boot !== here?.boot || owner.pidNamespace !== here?.pidNamespace) return 'elsewhere';
  if (!processExists(owner.pid)) return 'gone';
  const now = readProcStat(owner.pid);
  if (now === undefined) return 'running'; // exists, but nothing more can be read (not Linux)
  const reused = owner.startTime !== undefined && now.startTime !== owner.startTime;
  return now.state === 'Z' || reused ? 'gone' : 'running';
}

/** `process 4242 (node bin/azl start) on build-7`, for messages. */
export function describeOwner(owner: OwnerRecord): string {
  const command = owner.command ? ` (${owner.command})` : '';
  return `process ${owner.pid}${command} on ${owner.host}`;
}

/** The record as one line of JSON: the content of an owner file or a table column. */
export function formatOwnerRecord(owner: OwnerRecord): string {
  return JSON.stringify(owner);
}

/** A record from its JSON; undefined for anything else (torn, foreign or older formats). */
export function parseOwnerRecord(text: string): OwnerRecord | undefined {
  try {
    const parsed = ownerRecordSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
