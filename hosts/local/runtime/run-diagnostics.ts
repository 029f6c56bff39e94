import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Namespace } from '../../../infra/local/broker/namespace';
import type { StorageOperationCounts } from '../../../infra/storage/operation-tally';
import { storageOperations } from '../../../infra/storage/operation-tally';

/**
 * What a local run has cost so far, written to `<dataDir>/diagnostics.json` every few seconds and once more
 * on stop: the process's memory (with its peak), the storage operations its Service Bus and timer functions
 * made per table and container (not the HTTP instance's: the status API's reads are not the pipeline's work),
 * and the messages each Service Bus entity holds (dead-letter queues included). The scale benchmark reads it from
 * outside the process; anyone can read it to see where a long local run spends its storage calls.
 */
export interface RunDiagnostics {
  readonly writtenAt: string;
  readonly pid: number;
  readonly memory: {
    readonly rssBytes: number;
    readonly peakRssBytes: number;
    readonly heapUsedBytes: number;
  };
  /** CPU time the process has used so far (user + system), in milliseconds. */
  readonly cpuMs: number;
  readonly storage: StorageOperationCounts;
  /** Entity path → messages held (active, deferred, scheduled and locked); dead-letter queues under their own path. */
  readonly serviceBus: Readonly<Record<string, number>>;
  /** The broker's operations by kind (infra/local/broker/operation-tally.ts). */
  readonly serviceBusOperations: Readonly<Record<string, number>>;
}

export const diagnosticsPath = (dataDir: string): string => join(dataDir, 'diagnostics.json');

export function currentDiagnostics(namespace: Namespace): RunDiagnostics {
  const memory = process.memoryUsage();
  const serviceBus: Record<string, number> = {};
  for (const entity of namespace.entities()) {
    serviceBus[entity.path] = entity.size;
    if (entity.deadLetterQueue) serviceBus[entity.deadLetterQueue.path] = entity.deadLetterQueue.size;
  }
  const cpu = process.cpuUsage();
  return {
    writtenAt: new Date().toISOString(),
    pid: process.pid,
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    memory: {
      rssBytes: memory.rss,
      // maxRSS is in kilobytes.
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      heapUsedBytes: memory.heapUsed,
    },
    storage: storageOperations.snapshot(),
    serviceBus,
    serviceBusOperations: namespace.operations.snapshot(),
  };
}

/** Writes the diagnostics every `intervalMs` (atomically: temp file + rename) until stopped, and once at stop. */
export function startRunDiagnostics(
  dataDir: string,
  namespace: Namespace,
  intervalMs = 2_000,
): { stop(): Promise<void> } {
  mkdirSync(dataDir, { recursive: true });
  const path = diagnosticsPath(dataDir);
  const write = (): void => {
    writeFileSync(`${path}.tmp`, `${JSON.stringify(currentDiagnostics(namespace), null, 1)}\n`);
    renameSync(`${path}.tmp`, path);
  };
  const timer = setInterval(write, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      write();
    },
  };
}
