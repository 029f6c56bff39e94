import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Endpoints } from '../../hosts/local/runtime/endpoints-file';
import { readEndpoints } from '../../hosts/local/runtime/endpoints-file';
import { projectRoot } from '../../infra/os/project-paths';

const root = projectRoot();
const bin = join(root, 'bin', 'azl-rebuilder.js');

export interface CliRun {
  readonly child: ChildProcess;
  /** stdout and stderr as they arrived, interleaved: for messages and failure reports. */
  readonly output: () => string;
  /** stdout alone: a command's answer (JSON), which progress lines and logs on stderr never touch. */
  readonly stdout: () => string;
  readonly exited: Promise<number | null>;
}

/** Runs the built CLI (`npm test` builds first) as a real process, as a user would; `env` adds settings. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliRun {
  if (!existsSync(join(root, 'dist', 'hosts', 'cli', 'main.js'))) {
    throw new Error('dist/ is missing: run `npm run build` (npm test does it) before these tests');
  }
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, stdout: () => stdout, exited };
}

/** Waits for a started pipeline's endpoints.json (or for the process to die first). */
export async function waitForEndpoints(run: CliRun, dataDir: string, timeoutMs = 60_000): Promise<Endpoints> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const endpoints = readEndpoints(dataDir);
    if (endpoints && endpoints.pid === run.child.pid) return endpoints;
    if (run.child.exitCode !== null) throw new Error(`azl-rebuilder exited early:\n${run.output()}`);
    if (Date.now() > deadline) throw new Error(`no endpoints.json after ${timeoutMs} ms:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Pids of live processes whose command line mentions `needle` (e.g. a test's data folder). */
export function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(needle)) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

export const ephemeralPorts = [
  '--http-port',
  '0',
  '--broker-port',
  '0',
  '--blob-port',
  '0',
  '--queue-port',
  '0',
  '--table-port',
  '0',
];

/** How long a stopped pipeline may take to finish what it is doing and exit. */
export const STOP_TIMEOUT_MS = 60_000;

/**
 * Sends SIGINT and waits up to `ms` for the process to exit: true when it did. A pipeline that does not stop
 * is left to the caller to kill, so a hang in shutdown fails the test with its log instead of a hook timeout.
 */
export async function stopWithin(run: CliRun, ms: number): Promise<boolean> {
  run.child.kill('SIGINT');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const exited = await Promise.race([run.exited.then(() => true), late]);
  clearTimeout(timer);
  return exited;
}

/** `azl-rebuilder start` with `args` in a fresh data folder, ready; `stop` ends it and every process it left. */
export async function startPipeline(
  prefix: string,
  args: readonly string[] = ['--no-demo'],
): Promise<{ run: CliRun; dataDir: string; endpoints: Endpoints; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const run = runCli(['start', ...args, '--data-dir', dataDir, ...ephemeralPorts]);
  const endpoints = await waitForEndpoints(run, dataDir);
  return {
    run,
    dataDir,
    endpoints,
    stop: async () => {
      const stopped = run.child.exitCode !== null || (await stopWithin(run, STOP_TIMEOUT_MS));
      for (const pid of processesMentioning(dataDir)) process.kill(pid, 'SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
      if (!stopped)
        throw new Error(
          `azl-rebuilder did not stop within ${STOP_TIMEOUT_MS} ms of SIGINT:\n${run.output()}`,
        );
    },
  };
}
