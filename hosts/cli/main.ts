import { Command, Help, InvalidArgumentError } from 'commander';
import { join } from 'node:path';
import { LOG_LEVELS } from '../../shared/log-level';
import type { LogLevel } from '../../shared/log-level';
import { createJsonLogger } from '../../infra/telemetry/logger';
import { defaultDataDir, pipelineVersion } from '../../infra/os/project-paths';
import { PLAIN_PROGRESS_INTERVAL_MS } from '../../infra/progress/plain-line-progress';
import type { BridgeOptions } from './bridge-command';
import type { WorkerOptions } from './worker-command';

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

type SetExitCode = (code: number) => void;

/**
 * A top-level command whose module (and everything that module imports: zod schemas, parsers, SDK clients) is
 * loaded only when the command line names it. `term` and `description` are what `azl-rebuilder --help` lists
 * for it without loading it; they must equal what `register` declares (tests/hosts/cli/main-commands.test.ts
 * holds the two help texts equal).
 */
export interface LazyCommand {
  readonly name: string;
  /** The command's term in the parent's help list, as commander would print it: `plan [options] <events...>`. */
  readonly term: string;
  readonly description: string;
  readonly register: (program: Command, setExitCode: SetExitCode) => Promise<void>;
}

/** The lazily loaded top-level commands, in the order `--help` lists them (after `start`). */
export const LAZY_COMMANDS: readonly LazyCommand[] = [
  {
    name: 'ingest',
    term: 'ingest',
    description: 'Fedora message ingestion',
    register: async (program, setExitCode) =>
      (await import('./ingest-normalize-command')).registerIngestNormalizeCommand(program, setExitCode),
  },
  {
    name: 'plan',
    term: 'plan [options] <events...>',
    description: 'print the rebuild plan for recorded Fedora events',
    register: async (program, setExitCode) =>
      (await import('./plan-command')).registerPlanCommand(program, setExitCode),
  },
  {
    name: 'config',
    term: 'config',
    description: 'Azure Linux style distro configuration (azldev.toml)',
    register: async (program, setExitCode) =>
      (await import('./config-command')).registerConfigCommand(program, setExitCode),
  },
  {
    name: 'overlays',
    term: 'overlays',
    description: 'component overlays (azldev semantics)',
    register: async (program, setExitCode) =>
      (await import('./overlays-command')).registerOverlaysCommand(program, setExitCode),
  },
  {
    name: 'repo',
    term: 'repo',
    description: 'RPM repositories: metadata and publishing',
    register: async (program, setExitCode) => {
      const [{ registerRepoCommand }, { registerRepoPublishCommand }] = await Promise.all([
        import('./repo-command'),
        import('./repo-publish-command'),
      ]);
      registerRepoPublishCommand(registerRepoCommand(program, setExitCode), setExitCode);
    },
  },
  {
    name: 'build',
    term: 'build [options]',
    description: 'render one component with its overlays and build it locally with rpmbuild',
    register: async (program, setExitCode) =>
      (await import('./build-command')).registerBuildCommand(program, setExitCode),
  },
  {
    name: 'image',
    term: 'image',
    description: 'preview VM images: build them from the repositories, publish them',
    register: async (program, setExitCode) => {
      const [{ registerImageCommand }, { registerImagePublishCommand }] = await Promise.all([
        import('./image-command'),
        import('./image-publish-command'),
      ]);
      registerImagePublishCommand(registerImageCommand(program, setExitCode), setExitCode);
    },
  },
  {
    name: 'replay',
    term: 'replay [options] <inputs...>',
    description: 'send recorded Fedora messages (files, directories of *.json, or -) to a running pipeline',
    register: async (program, setExitCode) =>
      (await import('./replay-command')).registerReplayCommand(program, setExitCode),
  },
  {
    name: 'webhooks',
    term: 'webhooks',
    description: 'manage webhook subscriptions of a running pipeline, or receive webhooks locally',
    register: async (program, setExitCode) => {
      (await import('./webhooks-command')).registerWebhooksCommand(program, setExitCode);
    },
  },
];

/**
 * The top-level command `argv` names: its first operand, skipping the program's options and the values of
 * those that take one; for `help <command>`, that command. Undefined when there is none (`--version`,
 * `--help`, a bare call).
 */
export function chosenCommand(program: Command, argv: readonly string[]): string | undefined {
  const takesValue = new Set(
    program.options.filter((option) => option.required || option.optional).flatMap((o) => [o.long, o.short]),
  );
  let helpAsked = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return undefined;
    if (arg.startsWith('-')) {
      if (takesValue.has(arg)) i++;
      continue;
    }
    if (arg === 'help' && !helpAsked) {
      helpAsked = true;
      continue;
    }
    return arg;
  }
  return undefined;
}

/**
 * Declares `command` for help and suggestions only: its name, term and description, none of its code. It is
 * never run: a command line that names it gets the real one instead (`chosenCommand`).
 */
function declareUnloaded(program: Command, command: LazyCommand, terms: WeakMap<Command, string>): void {
  terms.set(program.command(command.name).description(command.description), command.term);
}

/**
 * The `azl-rebuilder` command line. Start-up loads only what the chosen command needs: the long-running
 * commands (start, bridge, worker) load their modules when they run, and every other top-level command
 * (`LAZY_COMMANDS`) is registered from its module only when the command line names it; `--version`,
 * `--help` and the rest only declare it. A short command such as `config check` or `repo index` would otherwise
 * spend most of its start-up loading code it never calls (zod schemas, parsers, Azure SDK clients).
 * Resolves with the exit code: 0 success, 1 failure, 2 usage error.
 */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const program = await createProgram(argv, (code) => (exitCode = code));
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    const code = (error as { exitCode?: number; code?: string }).exitCode;
    const helpShown = (error as { code?: string }).code?.startsWith('commander.help');
    return helpShown || (error as { code?: string }).code === 'commander.version' ? 0 : code === 0 ? 0 : 2;
  }
  return exitCode;
}

/**
 * The program for `argv`: every command declared, and the lazy command `argv` names registered from its
 * module (`load: 'chosen'`), or every lazy command registered (`load: 'all'`: what the help is checked against).
 */
export async function createProgram(
  argv: readonly string[],
  setExitCode: SetExitCode,
  load: 'chosen' | 'all' = 'chosen',
): Promise<Command> {
  const unloadedTerms = new WeakMap<Command, string>();
  const program = new Command('azl-rebuilder')
    .description('Event-driven rebuild pipeline for a Fedora-derived distribution')
    .configureHelp({
      // An unloaded command declares no options or arguments: its term in the list comes from LAZY_COMMANDS.
      subcommandTerm(this: Help, command: Command): string {
        return unloadedTerms.get(command) ?? Help.prototype.subcommandTerm.call(this, command);
      },
    })
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
  const logger = () => createJsonLogger({ level: program.opts<{ logLevel: LogLevel }>().logLevel });

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
        const { runStart } = await import('./start-command');
        setExitCode(await runStart({ ...options, dataDir: join(options.dataDir) }, logger()));
      },
    );

  const chosen = chosenCommand(program, argv);
  // Only on its own: program options are also read after a command, and `image publish --version <v>` is the
  // image's version, not a request for the program's.
  if (chosen === undefined)
    program.version(pipelineVersion(), '-V, --version', 'print the version of azl-rebuilder');
  for (const command of LAZY_COMMANDS) {
    if (load === 'all' || command.name === chosen) await command.register(program, setExitCode);
    else declareUnloaded(program, command, unloadedTerms);
  }

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
      const { runBridge } = await import('./bridge-command');
      setExitCode(await runBridge(options, logger()));
    });

  const worker = program
    .command('worker')
    .description('take build jobs from the builds queue: the build function alone, as a process')
    .option('--local', 'work for the local pipeline started with `azl-rebuilder start`', false)
    .option('--data-dir <dir>', "the local pipeline's data folder (with --local)", defaultDataDir())
    .action(async (options: WorkerOptions) => {
      const { runWorker } = await import('./worker-command');
      setExitCode(await runWorker(options, logger()));
    });
  worker
    .command('build')
    .description(
      'build the one request in AZL_BUILD_REQUEST and report it (what a cloud build execution runs)',
    )
    .action(async () => {
      const { runWorkerBuild } = await import('./worker-build-command');
      setExitCode(await runWorkerBuild(process.env, logger()));
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
      const { runWorkerImage } = await import('./worker-image-command');
      setExitCode(await runWorkerImage(command.args, process.env, logger()));
    });

  return program;
}
