import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Endpoints } from '../../hosts/local/runtime/endpoints-file';
import type { RunDiagnostics } from '../../hosts/local/runtime/run-diagnostics';
import { diagnosticsPath } from '../../hosts/local/runtime/run-diagnostics';
import { BlobStore } from '../../infra/storage';
import { depsContainer } from '../../shared/storage';
import type { CliRun } from '../../testing/pipeline/cli-process';
import {
  ephemeralPorts,
  processesMentioning,
  runCli,
  stopWithin,
  waitForEndpoints,
} from '../../testing/pipeline/cli-process';

/** `azl-rebuilder start --no-demo --config <tree>` with the synthetic builder, as the scale benchmark runs it. */
export interface ScalePipeline {
  readonly run: CliRun;
  readonly dataDir: string;
  readonly endpoints: Endpoints;
  readonly settings: Readonly<Record<string, string>>;
  /** The run's diagnostics.json as last written (every 2 s), or undefined before the first write. */
  diagnostics(): RunDiagnostics | undefined;
  /** Peak resident memory (VmHWM) of each live process of the run: the CLI and the Azurite it started. */
  peakRss(): Readonly<Record<string, number>>;
  /** CPU time (user + system, ms) each live process of the run has used so far, by `name (pid)`. */
  cpuMs(): Readonly<Record<string, number>>;
  stop(): Promise<void>;
}

/**
 * Starts the local pipeline for `treeDir` in a fresh folder with the synthetic builder and `settings` over the
 * benchmark's defaults, then uploads `dependencyIndex` where the planning pass reads it
 * (`deps/dependency-index.json.gz`), as the refresher would have.
 */
export async function startScalePipeline(
  treeDir: string,
  dependencyIndex: Buffer,
  settings: Readonly<Record<string, string>>,
): Promise<ScalePipeline> {
  const root = mkdtempSync(join(tmpdir(), 'azl-bench-scale-'));
  const dataDir = join(root, 'data');
  const env = {
    AZL_BUILDER: 'synthetic',
    AZL_ALLOW_SYNTHETIC_BUILDER: '1',
    AZL_LOG_LEVEL: 'warn',
    ...settings,
  };
  const run = runCli(
    ['start', '--no-demo', '--config', treeDir, '--data-dir', dataDir, ...ephemeralPorts],
    env,
  );
  const stop = async (): Promise<void> => {
    if (run.child.exitCode === null) await stopWithin(run, 60_000);
    for (const pid of processesMentioning(dataDir)) process.kill(pid, 'SIGKILL');
    rmSync(root, { recursive: true, force: true });
  };
  try {
    const endpoints = await waitForEndpoints(run, dataDir, 120_000);
    const blobs = new BlobStore({ connectionString: endpoints.storageConnectionString });
    await blobs.ensureContainer(depsContainer.name);
    await blobs.put(depsContainer.name, depsContainer.indexBlob, dependencyIndex, {
      contentType: 'application/gzip',
    });
    return {
      run,
      dataDir,
      endpoints,
      settings: env,
      diagnostics: () => readDiagnostics(dataDir),
      peakRss: () => peakRssOf([run.child.pid ?? 0, ...processesMentioning(dataDir)]),
      cpuMs: () => cpuMsOf([run.child.pid ?? 0, ...processesMentioning(dataDir)]),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function readDiagnostics(dataDir: string): RunDiagnostics | undefined {
  try {
    return JSON.parse(readFileSync(diagnosticsPath(dataDir), 'utf8')) as RunDiagnostics;
  } catch {
    return undefined;
  }
}

/** `name (pid)` → user + system CPU time in ms (from /proc/<pid>/stat), for each pid still alive. */
function cpuMsOf(pids: readonly number[]): Record<string, number> {
  const ticksPerSecond = 100; // USER_HZ on Linux
  const used: Record<string, number> = {};
  for (const pid of new Set(pids)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      used[`${processName(pid)} (${pid})`] = (ticks * 1000) / ticksPerSecond;
    } catch {
      // ended meanwhile
    }
  }
  return used;
}

function processName(pid: number): string {
  const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  return cmdline.some((arg) => arg.includes('azurite')) ? 'azurite' : 'azl-rebuilder';
}

/** `name (pid)` → VmHWM in bytes, for each pid still alive. */
function peakRssOf(pids: readonly number[]): Record<string, number> {
  const peaks: Record<string, number> = {};
  for (const pid of new Set(pids)) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
      peaks[`${processName(pid)} (${pid})`] = kb * 1024;
    } catch {
      // ended meanwhile
    }
  }
  return peaks;
}
