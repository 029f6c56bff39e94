import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MaterialisedFixture } from '../../infra/local/fedora-fixture';
import type { Endpoints } from '../../hosts/local/runtime/endpoints-file';
import { projectRoot } from '../../infra/os/project-paths';
import { startSmallFedora } from '../fixtures/small-fedora';
import { processesMentioning, waitForEndpoints } from './cli-process';

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
  const { fixture, distroDir, close: closeFedora } = await startSmallFedora(root);
  const env = { ...settings, AZL_DISTRO_DIR: distroDir, AZL_FEDORA_CATCH_UP: 'off' };
  const bin = join(projectRoot(), 'bin', 'azl-rebuilder.js');
  const child = spawn(
    process.execPath,
    [bin, 'start', '--no-demo', '--data-dir', dataDir, ...EPHEMERAL_PORTS, ...MORE_PORTS],
    { cwd: projectRoot(), env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-20_000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (): Promise<void> => {
    await stopChild(child, exited, dataDir);
    await closeFedora();
    rmSync(root, { recursive: true, force: true });
  };
  try {
    // stdout is ignored here: the start command prints its URLs, which the bench reads from endpoints.json.
    const run = { child, output: () => log, stdout: () => '', exited };
    const endpoints = await waitForEndpoints(run, dataDir, timeoutMs);
    const distGitRoot = join(root, 'fedora', 'dist-git');
    return { endpoints, fixture, distGitRoot, settings: env, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** SIGINT and a wait; then SIGKILL for the child and for what it started under `dataDir` (Azurite) if any is left. */
async function stopChild(child: ChildProcess, exited: Promise<unknown>, dataDir: string): Promise<void> {
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
