import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LookasideServer, MaterialisedFixture } from '../../infra/local/fedora-fixture';
import {
  materialiseFedoraFixture,
  startLookasideServer,
  writeFixtureDistro,
} from '../../infra/local/fedora-fixture';
import type { Endpoints } from '../../hosts/local/runtime/endpoints-file';
import { readEndpoints } from '../../hosts/local/runtime/endpoints-file';
import { projectRoot } from '../../infra/os/project-paths';

/** The pipeline a user runs (`azl-rebuilder start --no-demo`) over the fixture Fedora, for the end-to-end bench. */
export interface BenchPipeline {
  readonly endpoints: Endpoints;
  readonly fixture: MaterialisedFixture;
  /** Root of the fixture's bare dist-git repositories (`<root>/rpms/<name>.git`). */
  readonly distGitRoot: string;
  /** The settings the pipeline was started with (reported with the figures). */
  readonly settings: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

const EPHEMERAL_PORTS = ['--http-port', '0', '--broker-port', '0', '--blob-port', '0'];
const MORE_PORTS = ['--queue-port', '0', '--table-port', '0'];

/**
 * Materialises the fixture Fedora (dist-git, lookaside on loopback, distro tree) in a fresh folder and starts
 * the built CLI as a child process with `settings` (e.g. `AZL_PLANNER_DEBOUNCE_SECONDS`), ready once its
 * endpoints.json names it. `stop` interrupts it (SIGINT, as Ctrl-C) and removes the folder.
 */
export async function startBenchPipeline(
  settings: Readonly<Record<string, string>>,
  timeoutMs = 90_000,
): Promise<BenchPipeline> {
  const root = mkdtempSync(join(tmpdir(), 'azl-bench-e2e-'));
  const dataDir = join(root, 'data');
  const fixture = materialiseFedoraFixture(join(root, 'fedora'));
  const lookaside: LookasideServer = await startLookasideServer(fixture.lookasideDir);
  const distroDir = writeFixtureDistro(join(root, 'distro'), {
    distGitBaseUri: fixture.distGitTemplate,
    lookasideBaseUri: lookaside.template,
  });
  const env = { ...settings, AZL_DISTRO_DIR: distroDir, AZL_FEDORA_CATCH_UP: 'off' };
  const bin = join(projectRoot(), 'bin', 'azl-rebuilder.js');
  const child = spawn(
    process.execPath,
    [bin, 'start', '--no-demo', '--data-dir', dataDir, ...EPHEMERAL_PORTS, ...MORE_PORTS],
    { cwd: projectRoot(), env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    await stopChild(child, exited, dataDir);
    await lookaside.close();
    rmSync(root, { recursive: true, force: true });
  };
  try {
    const endpoints = await waitForEndpoints(child, dataDir, timeoutMs, () => log);
    const distGitRoot = join(root, 'fedora', 'dist-git');
    return { endpoints, fixture, distGitRoot, settings: env, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForEndpoints(
  child: ChildProcess,
  dataDir: string,
  timeoutMs: number,
  log: () => string,
): Promise<Endpoints> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const endpoints = readEndpoints(dataDir);
    if (endpoints && endpoints.pid === child.pid) return endpoints;
    if (child.exitCode !== null) throw new Error(`azl-rebuilder start exited early:\n${log()}`);
    if (Date.now() > deadline) throw new Error(`azl-rebuilder start not ready in ${timeoutMs} ms:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** SIGINT and a wait; then SIGKILL for the child and for what it started under `dataDir` (Azurite) if any is left. */
async function stopChild(child: ChildProcess, exited: Promise<void>, dataDir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGINT');
    const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 30_000));
    if ((await Promise.race([exited, timer])) === 'late') child.kill('SIGKILL');
    await exited;
  }
  for (const pid of processesMentioning(dataDir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // ended meanwhile
    }
  }
}

function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').includes(needle))
        pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}
