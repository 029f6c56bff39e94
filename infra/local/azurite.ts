import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeError, PipelineError } from '../../shared/errors';
import { probeStorage } from '../storage/storage-probe';
import type { Logger } from '../../shared/logger';
import { spawnGroupLeader } from '../os/group-leader';
import type { GroupLeader } from '../os/group-leader';
import { signalGroup } from '../os/signals';
import { stopGroup } from '../os/stop-group';
import { exitOfInstance, forgetInstance, recordInstance, runningInstance } from './azurite-instance';
import { findFreePorts, isPortFree, isPortListening, LOOPBACK } from './free-port';

/**
 * Runs the Azurite storage emulator (blob, queue, table) as a child process on 127.0.0.1.
 *
 * Azurite is spawned as a CLI because `require('azurite')` does not load outside VS Code. It always gets
 * `--skipApiVersionCheck` (the installed storage SDK sends an API version newer than Azurite knows), and the
 * well-known `devstoreaccount1` account (AZURITE_ACCOUNTS is set to it, plus any `extraAccounts`, or removed, so
 * that account always exists).
 * The child leads its own process group so `stop()` can take down everything it started. Stopping on parent
 * exit is the caller's job (e.g. on SIGINT); as a last resort a normal process exit SIGKILLs the group.
 * POSIX only: process groups and negative-pid kill do not exist on Windows.
 *
 * With a data folder, Azurite's output goes to `<location>/azurite-output.log` (not a pipe, which would break
 * when its parent dies) and the instance is recorded there (azurite-instance.ts). The Azurite a killed parent
 * left running on the folder is adopted when it still answers on acceptable ports (its data stays served
 * without a gap), and otherwise stopped before a new one starts.
 */

export interface AzuriteOptions {
  /** `'memory'` keeps nothing (tests); `{ location }` keeps data in that directory (local runs: `.data/azurite`). */
  readonly persistence: 'memory' | { readonly location: string };
  /** Ports to bind; missing or 0 means "pick free loopback ports". A given port must be free. */
  readonly blobPort?: number;
  readonly queuePort?: number;
  readonly tablePort?: number;
  /**
   * More accounts beside `devstoreaccount1` on the same ports (emulator URLs carry the account in the path:
   * `http://127.0.0.1:<port>/<name>`), e.g. a second account to publish to. A fresh instance only: an
   * adopted one keeps the accounts it was started with.
   */
  readonly extraAccounts?: readonly AzuriteAccount[];
  /** How long to wait for blob and table to answer; default 30 s (Azurite alone needs 2-8 s to load, more on a busy machine). */
  readonly readyTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL; default 3 s. */
  readonly stopGraceMs?: number;
  readonly logger?: Logger;
}

export interface AzuriteHandle {
  readonly connectionString: string;
  readonly blobPort: number;
  readonly queuePort: number;
  readonly tablePort: number;
  readonly pid: number;
  /** Resolves when the Azurite process has exited, whether `stop()` ended it or not. */
  readonly exited: Promise<void>;
  /** Idempotent: kills the process group (SIGTERM, then SIGKILL after the grace period) and waits for exit. */
  stop(): Promise<void>;
}

/** An emulated storage account: a name (3-24 lower-case letters and digits) and a base64 key. */
export interface AzuriteAccount {
  readonly name: string;
  readonly key: string;
}

const ACCOUNT = 'devstoreaccount1';
/** The emulator's published development key (not a secret). */
const ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const SERVICES = ['blob', 'queue', 'table'] as const;
export type AzuritePorts = Record<(typeof SERVICES)[number], number>;
type Ports = AzuritePorts;

/** The connection string of the well-known development account on these ports. */
export function azuriteConnectionString(ports: Ports, host: string = LOOPBACK): string {
  return azuriteAccountConnectionString(ports, { name: ACCOUNT, key: ACCOUNT_KEY }, host);
}

/** The connection string of one account of an Azurite on these ports (see `extraAccounts`). */
export function azuriteAccountConnectionString(
  ports: Ports,
  account: AzuriteAccount,
  host: string = LOOPBACK,
): string {
  const endpoint = (port: number): string => `http://${host}:${port}/${account.name}`;
  return (
    `DefaultEndpointsProtocol=http;AccountName=${account.name};AccountKey=${account.key};` +
    `BlobEndpoint=${endpoint(ports.blob)};QueueEndpoint=${endpoint(ports.queue)};` +
    `TableEndpoint=${endpoint(ports.table)};`
  );
}

export async function startAzurite(options: AzuriteOptions): Promise<AzuriteHandle> {
  const requested: Ports = {
    blob: options.blobPort ?? 0,
    queue: options.queuePort ?? 0,
    table: options.tablePort ?? 0,
  };
  if (options.persistence !== 'memory') {
    const adopted = await adoptOrStopLeftover(resolve(options.persistence.location), requested, options);
    if (adopted) return adopted;
  }
  for (const service of SERVICES) {
    const port = requested[service];
    if (port !== 0 && !(await isPortFree(port))) {
      throw PipelineError.permanent(
        'azurite.port-in-use',
        `Azurite ${service} port ${port} is already in use`,
        {
          service,
          port,
        },
      );
    }
  }
  // Ports we picked ourselves can be taken by someone else before Azurite binds them: try again with new ones.
  const picksPorts = SERVICES.some((service) => requested[service] === 0);
  for (let attempt = 1; ; attempt += 1) {
    const free = await findFreePorts(3);
    const ports: Ports = {
      blob: requested.blob || (free[0] ?? 0),
      queue: requested.queue || (free[1] ?? 0),
      table: requested.table || (free[2] ?? 0),
    };
    try {
      return await launch(options, ports);
    } catch (error) {
      const raced =
        PipelineError.is(error, 'azurite.not-ready') && /EADDRINUSE/.test(String(error.context.output));
      if (!picksPorts || !raced || attempt >= 3) throw error;
    }
  }
}

async function launch(options: AzuriteOptions, ports: Ports): Promise<AzuriteHandle> {
  const args = [azuriteBin(), '--blobHost', LOOPBACK, '--queueHost', LOOPBACK, '--tableHost', LOOPBACK];
  args.push('--blobPort', `${ports.blob}`, '--queuePort', `${ports.queue}`, '--tablePort', `${ports.table}`);
  args.push('--skipApiVersionCheck', '--disableTelemetry', '--silent');
  let cwd = tmpdir();
  if (options.persistence === 'memory') args.push('--inMemoryPersistence');
  else {
    cwd = resolve(options.persistence.location);
    try {
      mkdirSync(cwd, { recursive: true });
    } catch (error) {
      const message = `Azurite data directory ${cwd} cannot be created`;
      throw PipelineError.permanent('azurite.bad-location', message, { location: cwd }, error);
    }
    args.push('--location', cwd);
  }
  const env = { ...process.env };
  delete env.AZURITE_ACCOUNTS;
  // Custom accounts replace the well-known one unless it is listed too.
  const extra = options.extraAccounts ?? [];
  if (extra.length > 0) {
    const accounts = [{ name: ACCOUNT, key: ACCOUNT_KEY }, ...extra];
    env.AZURITE_ACCOUNTS = accounts.map((account) => `${account.name}:${account.key}`).join(';');
  }
  const persistent = options.persistence !== 'memory';
  const outputPath = join(cwd, 'azurite-output.log');
  const outputFd = persistent ? openSync(outputPath, 'w') : undefined;
  const leader = spawnGroupLeader(process.execPath, args, {
    cwd,
    env,
    stdio: ['ignore', outputFd ?? 'pipe', outputFd ?? 'pipe'],
  });
  const child = leader.child;
  if (outputFd !== undefined) closeSync(outputFd);
  const output = new OutputTail(persistent ? outputPath : undefined);
  child.stdout?.on('data', (chunk: Buffer) => output.add(chunk));
  child.stderr?.on('data', (chunk: Buffer) => output.add(chunk));
  const exited = leader.ended.then(() => undefined);

  // Safety net for a parent that exits without calling stop(): a synchronous SIGKILL to the group.
  const killOnExit = (): void => void signalGroup(child.pid ?? 0, 'SIGKILL');
  if (child.pid !== undefined) process.once('exit', killOnExit);
  const connectionString = azuriteConnectionString(ports);
  const stop = once(async () => {
    await leader.terminate(options.stopGraceMs ?? 3_000);
    process.removeListener('exit', killOnExit);
    if (persistent && child.pid !== undefined) forgetInstance(cwd, child.pid);
    options.logger?.debug('azurite stopped', { pid: child.pid });
  });
  try {
    if (leader.pid === undefined) {
      const end = await leader.ended;
      throw end.kind === 'not-started' ? end.error : new Error('spawn failed');
    }
    await waitUntilReady(connectionString, ports, leader, options.readyTimeoutMs ?? 30_000);
  } catch (error) {
    await stop();
    throw PipelineError.transient(
      'azurite.not-ready',
      `Azurite did not become ready: ${describeError(error)}`,
      {
        ...ports,
        pid: child.pid ?? null,
        exitCode: child.exitCode,
        output: output.text(),
      },
    );
  }
  if (persistent) recordInstance(cwd, { pid: child.pid ?? 0, ...ports });
  options.logger?.info('azurite started', { pid: child.pid, ...ports, persistence: cwd });
  return {
    connectionString,
    blobPort: ports.blob,
    queuePort: ports.queue,
    tablePort: ports.table,
    pid: child.pid ?? 0,
    exited,
    stop,
  };
}

/** Polls until blob and table answer an authenticated SDK call and the queue port accepts connections. */
async function waitUntilReady(
  connectionString: string,
  ports: Ports,
  leader: GroupLeader,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = 'timed out';
  while (Date.now() < deadline) {
    if (!leader.running()) {
      const { exitCode, signalCode } = leader.child;
      throw new Error(`exited early (code ${exitCode}, signal ${signalCode})`);
    }
    try {
      await probeStorage({ connectionString }, { timeoutMs: Math.max(250, deadline - Date.now()) });
      if (await isPortListening(ports.queue)) return;
      lastError = `queue port ${ports.queue} not listening`;
    } catch (error) {
      lastError = error;
    }
    await sleep(100);
  }
  throw new Error(`no answer within ${timeoutMs} ms (last: ${describeError(lastError)})`);
}

/** The entry script of the `azurite` CLI, run with this Node binary (no shell, no `.bin` shim). */
function azuriteBin(): string {
  let packageJson: string;
  try {
    packageJson = require.resolve('azurite/package.json');
  } catch (error) {
    throw PipelineError.permanent('azurite.not-installed', 'The azurite package is not installed', {}, error);
  }
  const manifest = JSON.parse(readFileSync(packageJson, 'utf8')) as { bin?: Record<string, string> };
  const bin = manifest.bin?.azurite;
  if (!bin)
    throw PipelineError.permanent('azurite.not-installed', 'The azurite package has no azurite bin', {});
  return join(dirname(packageJson), bin);
}

/** The last few KiB of the child's stdout and stderr (piped, or in a file), for failure reports. */
class OutputTail {
  private buffer = '';
  constructor(private readonly file?: string) {}
  add(chunk: Buffer): void {
    this.buffer = (this.buffer + chunk.toString('utf8')).slice(-4096);
  }
  text(): string {
    if (this.file) {
      try {
        return readFileSync(this.file, 'utf8').slice(-4096).trim();
      } catch {
        return '';
      }
    }
    return this.buffer.trim();
  }
}

/**
 * The Azurite a killed `start` left on this data folder: adopted when every requested port is its own (or
 * any) and it answers, else stopped so a new one can take the folder and the ports.
 */
async function adoptOrStopLeftover(
  location: string,
  requested: Ports,
  options: AzuriteOptions,
): Promise<AzuriteHandle | undefined> {
  const leftover = runningInstance(location);
  if (!leftover) return undefined;
  const ports: Ports = { blob: leftover.blob, queue: leftover.queue, table: leftover.table };
  const fits = SERVICES.every((service) => requested[service] === 0 || requested[service] === ports[service]);
  const connectionString = azuriteConnectionString(ports);
  const answers =
    fits &&
    (await probeStorage({ connectionString }, { timeoutMs: 5_000 }).then(
      () => true,
      () => false,
    ));
  const graceMs = options.stopGraceMs ?? 3_000;
  if (!answers) {
    options.logger?.warn('stopping the Azurite a previous run left on this data folder', {
      pid: leftover.pid,
      location,
    });
    await stopGroup(leftover.pid, graceMs);
    forgetInstance(location, leftover.pid);
    return undefined;
  }
  const killOnExit = (): void => void signalGroup(leftover.pid, 'SIGKILL');
  process.once('exit', killOnExit);
  options.logger?.info('azurite adopted (left running by a previous run)', { ...leftover, location });
  const stopped = new AbortController();
  return {
    connectionString,
    blobPort: ports.blob,
    queuePort: ports.queue,
    tablePort: ports.table,
    pid: leftover.pid,
    exited: exitOfInstance(leftover.pid, stopped.signal),
    stop: once(async () => {
      await stopGroup(leftover.pid, graceMs);
      stopped.abort();
      process.removeListener('exit', killOnExit);
      forgetInstance(location, leftover.pid);
    }),
  };
}

function once(action: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= action());
}
