import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findFreePorts } from '../../infra/local/free-port';
import type { Endpoints } from '../../hosts/local/runtime/endpoints-file';
import type { CliRun } from './cli-process';
import { processesMentioning, runCli, waitForEndpoints } from './cli-process';

/**
 * `azl-rebuilder start` on one data folder and one fixed set of ports, started again and again, as a
 * machine's pipeline would be after each crash. `kill()` is SIGKILL of the node process only: Azurite (its
 * own process group) and a running rpmbuild (also its own group) are left behind, as after a crash.
 */
export class KillablePipeline {
  private current: CliRun | undefined;
  private readonly outputs: string[] = [];

  private constructor(
    readonly dataDir: string,
    private readonly ports: readonly number[],
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  static async create(dataDir: string, env: NodeJS.ProcessEnv): Promise<KillablePipeline> {
    return new KillablePipeline(dataDir, await findFreePorts(5), env);
  }

  async start(): Promise<Endpoints> {
    const [http, broker, blob, queue, table] = this.ports.map(String) as [
      string,
      string,
      string,
      string,
      string,
    ];
    const run = runCli(
      [
        'start',
        '--no-demo',
        '--data-dir',
        this.dataDir,
        ...['--http-port', http, '--broker-port', broker],
        ...['--blob-port', blob, '--queue-port', queue, '--table-port', table],
      ],
      this.env,
    );
    this.current = run;
    return waitForEndpoints(run, this.dataDir, 90_000);
  }

  /** SIGKILL of the pipeline's node process, waited for. */
  async kill(): Promise<void> {
    const run = this.current;
    if (!run || run.child.exitCode !== null) return;
    run.child.kill('SIGKILL');
    await run.exited;
    this.outputs.push(run.output());
  }

  /** Ctrl-C, as a user stops it; resolves with the exit code. */
  async stop(): Promise<number | null> {
    const run = this.current;
    if (!run || run.child.exitCode !== null) return run?.child.exitCode ?? null;
    run.child.kill('SIGINT');
    const code = await run.exited;
    this.outputs.push(run.output());
    return code;
  }

  /** Everything every run printed so far (the current one included). */
  output(): string {
    const live = this.current && this.current.child.exitCode === null ? [this.current.output()] : [];
    return [...this.outputs, ...live].join('\n----- restart -----\n');
  }

  /** The pid of the Azurite serving the data folder, from the record `start` keeps beside its data. */
  azuritePid(): number | undefined {
    try {
      const record = JSON.parse(
        readFileSync(join(this.dataDir, 'azurite', 'azurite-instance.json'), 'utf8'),
      ) as {
        pid?: number;
      };
      return record.pid;
    } catch {
      return undefined;
    }
  }

  /** Live processes of this pipeline (its data folder is in their command line) that also mention `word`. */
  processes(word: string): number[] {
    return processesMentioning(this.dataDir).filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(word);
      } catch {
        return false;
      }
    });
  }

  /** Live processes whose command line mentions the data folder (Azurite, rpmbuild, the CLI). */
  leftovers(): number[] {
    return processesMentioning(this.dataDir);
  }

  /** Ends whatever is still running for this data folder (after a failed test). */
  async cleanUp(): Promise<void> {
    await this.kill();
    for (const pid of processesMentioning(this.dataDir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
}

/** GET a status API route as JSON (throws on a non-200). */
export async function statusGet<T>(endpoints: Endpoints, path: string): Promise<T> {
  const response = await fetch(`${endpoints.apiBaseUrl}/${path}`, {
    headers: { 'x-functions-key': endpoints.functionKey },
  });
  if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}
