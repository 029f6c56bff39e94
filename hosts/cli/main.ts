import { Command, InvalidArgumentError } from 'commander';
import { join } from 'node:path';
import { LOG_LEVELS } from '../../shared/log-level';
import type { LogLevel } from '../../shared/log-level';
import { createJsonLogger } from '../../infra/telemetry/logger';
import { defaultDataDir } from '../../infra/os/project-paths';
import { PLAIN_PROGRESS_INTERVAL_MS } from '../../infra/progress/plain-line-progress';
import { registerIngestNormalizeCommand } from './ingest-normalize-command';
import { registerPlanCommand } from './plan-command';
import { registerConfigCommand } from './config-command';
import { registerOverlaysCommand } from './overlays-command';
import { registerRepoCommand } from './repo-command';
import { registerBuildCommand } from './build-command';
import { registerImageCommand } from './image-command';
import { registerRepoPublishCommand } from './repo-publish-command';
import { registerImagePublishCommand } from './image-publish-command';
import type { BridgeOptions } from './bridge-command';
import type { WorkerOptions } from './worker-command';
import { registerReplayCommand } from './replay-command';
import { registerWebhooksCommand } from './webhooks-command';

const port = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535) {
    throw new InvalidArgumentError('expected a port number between 0 and 65535 (0 picks a free port)');
  }
  return parsed;
};

const seconds = (value: string): number => {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0)
    throw new InvalidArgumentError('expected a number of seconds ≥ 0');
  return parsed;
};

const logLevel = (value: string): LogLevel => {
  if (!(LOG_LEVELS as readonly string[]).includes(value))
    throw new InvalidArgumentError(`expected one of ${LOG_LEVELS.join(', ')}`);
  return value as LogLevel;
};

/**
 * The `azl-rebuilder` command line. The long-running commands (start, bridge, worker) load their modules when
 * they run, not at start-up: those pull in the whole runtime, and a short command such as `repo index` would
 * otherwise spend most of its time loading code it never calls.
 * Resolves with the exit code: 0 success, 1 failure, 2 usage error.
 */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command('azl-rebuilder')
    .description('Event-driven rebuild pipeline for a Fedora-derived distribution')
    .option(
      '--log-level <level>',
      'debug | info | warn | error',
      logLevel,
      logLevel(process.env.AZL_LOG_LEVEL ?? 'info'),
    )
    .option(
      '--no-progress',
      'no progress on stderr from long commands (replay, repo index, repo publish, plan, image build); default: a bar on a terminal, else plain lines',
    )
    .option(
      '--progress-interval <seconds>',
      'the least time between two plain progress lines (stderr not a terminal, or CI); 0: a line per step',
      seconds,
      PLAIN_PROGRESS_INTERVAL_MS / 1000,
    )
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  program
    .command('start')
    .description('run the pipeline locally: storage (Azurite), the Service Bus broker and the functions host')
    .option('--data-dir <dir>', 'where local data lives', defaultDataDir())
    .option('--http-port <port>', 'HTTP functions port', port, 7071)
    .option('--broker-port <port>', 'Service Bus (AMQP) port', port, 5672)
    .option('--blob-port <port>', 'Azurite blob port', port, 10_000)
    .option('--queue-port <port>', 'Azurite queue port', port, 10_001)
    .option('--table-port <port>', 'Azurite table port', port, 10_002)
    .option('--no-demo', 'start the pipeline without the demo (no small Fedora, no replayed messages)')
    .option(
      '--live',
      'follow the real Fedora (datagrepper catch-up) for the distro tree given by --config',
      false,
    )
    .option(
      '--config <dir>',
      'the distro tree (folder of azldev.toml) to run the pipeline for, instead of the demo; without --live Fedora is not followed (send messages with replay or HTTP)',
    )
    .option(
      '--webhook <url>',
      'subscribe this URL to every event before the demo runs (repeatable); id and secret go to endpoints.json',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .action(
      async (options: {
        dataDir: string;
        httpPort: number;
        brokerPort: number;
        blobPort: number;
        queuePort: number;
        tablePort: number;
        demo: boolean;
        live: boolean;
        config?: string;
        webhook?: string[];
      }) => {
        const logger = createJsonLogger({ level: program.opts<{ logLevel: LogLevel }>().logLevel });
        const { runStart } = await import('./start-command');
        exitCode = await runStart({ ...options, dataDir: join(options.dataDir) }, logger);
      },
    );

  registerIngestNormalizeCommand(program, (code) => (exitCode = code));
  registerPlanCommand(program, (code) => (exitCode = code));
  registerConfigCommand(program, (code) => (exitCode = code));
  registerOverlaysCommand(program, (code) => (exitCode = code));
  registerRepoPublishCommand(
    registerRepoCommand(program, (code) => (exitCode = code)),
    (code) => (exitCode = code),
  );
  registerBuildCommand(program, (code) => (exitCode = code));
  registerImagePublishCommand(
    registerImageCommand(program, (code) => (exitCode = code)),
    (code) => (exitCode = code),
  );
  registerReplayCommand(program, (code) => (exitCode = code));
  registerWebhooksCommand(program, (code) => (exitCode = code));

  program
    .command('bridge')
    .description(
      "consume Fedora Messaging (AMQP) into the pipeline's ingest, with a datagrepper catch-up on (re)connect",
    )
    .option('--config <file>', "bridge configuration (JSON); default: Fedora's public broker")
    .option('--url <url>', 'AMQP URL (amqps://… with certificates, or amqp://user:pass@host:port)')
    .option('--ca <file>', 'CA certificate (PEM)')
    .option('--cert <file>', 'client certificate (PEM), for SASL EXTERNAL')
    .option('--key <file>', 'client key (PEM)')
    .option('--local', 'feed the local pipeline started with `azl-rebuilder start`', false)
    .option('--data-dir <dir>', "the local pipeline's data folder (with --local)", defaultDataDir())
    .action(async (options: Omit<BridgeOptions, 'local'> & { local: boolean }) => {
      const logger = createJsonLogger({ level: program.opts<{ logLevel: LogLevel }>().logLevel });
      const { runBridge } = await import('./bridge-command');
      exitCode = await runBridge(options, logger);
    });

  const worker = program
    .command('worker')
    .description('take build jobs from the builds queue: the build function alone, as a process')
    .option('--local', 'work for the local pipeline started with `azl-rebuilder start`', false)
    .option('--data-dir <dir>', "the local pipeline's data folder (with --local)", defaultDataDir())
    .action(async (options: WorkerOptions) => {
      const logger = createJsonLogger({ level: program.opts<{ logLevel: LogLevel }>().logLevel });
      const { runWorker } = await import('./worker-command');
      exitCode = await runWorker(options, logger);
    });
  worker
    .command('build')
    .description(
      'build the one request in AZL_BUILD_REQUEST and report it (what a cloud build execution runs)',
    )
    .action(async () => {
      const logger = createJsonLogger({ level: program.opts<{ logLevel: LogLevel }>().logLevel });
      const { runWorkerBuild } = await import('./worker-build-command');
      exitCode = await runWorkerBuild(process.env, logger);
    });

  worker
    .command('image')
    .description(
      'build and publish the one image in AZL_IMAGE_JOB_REQUEST with kiwi-ng (what a cloud image build execution runs)',
    )
    .allowUnknownOption()
    .allowExcessArguments()
    .helpOption(false)
    .action(async (_options: unknown, command: Command) => {
      const logger = createJsonLogger({ level: program.opts<{ logLevel: LogLevel }>().logLevel });
      const { runWorkerImage } = await import('./worker-image-command');
      exitCode = await runWorkerImage(command.args, process.env, logger);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    const code = (error as { exitCode?: number; code?: string }).exitCode;
    const helpShown = (error as { code?: string }).code?.startsWith('commander.help');
    return helpShown || (error as { code?: string }).code === 'commander.version' ? 0 : code === 0 ? 0 : 2;
  }
  return exitCode;
}
