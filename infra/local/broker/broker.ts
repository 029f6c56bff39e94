import { PipelineError } from '../../../shared/errors';
import type { EntityDefinition } from '../../../shared/messaging/entities';
import type { Logger } from '../../../shared/logger';
import { silentLogger } from '../../../shared/logger';
import { AmqpServer } from './amqp-server';
import type { NamespaceConfig } from './entity-config';
import { namespaceConfigFrom } from './entity-config';
import type { EntityJournal } from './entity-journal';
import { noJournal } from './entity-journal';
import type { JournalContents } from './journal-file';
import { JournalFile } from './journal-file';
import { Namespace } from './namespace';

export interface BrokerOptions {
  /** Entities to serve: the pipeline's definitions, or a ready namespace config (tests use short locks). */
  readonly entities: readonly EntityDefinition[] | NamespaceConfig;
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Journal file for durable local runs; absent = in memory. */
  readonly journalPath?: string;
  /** How often locks, schedules and expiries are checked. */
  readonly tickMs?: number;
  readonly logger?: Logger;
}

export interface RunningBroker {
  readonly host: string;
  readonly port: number;
  /** A connection string `@azure/service-bus` accepts (plain AMQP on loopback). */
  readonly connectionString: string;
  /** The broker's state, for tests and diagnostics. */
  readonly namespace: Namespace;
  stop(): Promise<void>;
}

/**
 * A Service Bus-compatible broker for tests and local runs: AMQP 1.0 on loopback, spoken to by the unmodified
 * `@azure/service-bus` SDK. See `amqp-server.ts` for the protocol and `message-entity.ts` for the semantics.
 */
export async function startBroker(options: BrokerOptions): Promise<RunningBroker> {
  const host = options.host ?? '127.0.0.1';
  const config = 'queues' in options.entities ? options.entities : namespaceConfigFrom(options.entities);
  const logger = options.logger ?? silentLogger;
  const clock = (): number => Date.now();

  let journal: EntityJournal = noJournal;
  let journalFile: JournalFile | undefined;
  let contents: JournalContents | undefined;
  if (options.journalPath) {
    ({ journal: journalFile, contents } = JournalFile.open(options.journalPath));
    journal = journalFile;
  }
  const namespace = new Namespace(config, journal);
  if (contents) restore(namespace, contents);

  const server = new AmqpServer(namespace, clock, logger);
  let port: number;
  try {
    port = await server.listen(host, options.port ?? 0);
  } catch (error) {
    journalFile?.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw PipelineError.permanent(
        'broker.port-in-use',
        `port ${options.port} on ${host} is already in use`,
        {
          host,
          port: options.port ?? 0,
        },
      );
    }
    throw PipelineError.permanent(
      'broker.listen-failed',
      `could not listen on ${host}:${options.port}: ${String(error)}`,
      {
        host,
      },
    );
  }
  const ticker = setInterval(() => server.afterTick(namespace.tick(clock())), options.tickMs ?? 100);
  ticker.unref();
  logger.info('local Service Bus broker listening', { host, port, durable: Boolean(options.journalPath) });

  return {
    host,
    port,
    connectionString: `Endpoint=sb://${host}:${port};SharedAccessKeyName=local;SharedAccessKey=local;UseDevelopmentEmulator=true`,
    namespace,
    stop: async () => {
      clearInterval(ticker);
      await server.close();
      journalFile?.close();
    },
  };
}

function restore(namespace: Namespace, contents: JournalContents): void {
  for (const entity of namespace.entities()) {
    const highest = contents.highestSequence.get(entity.path);
    if (highest !== undefined) entity.restoreSequence(highest + 1);
    const messages = [...(contents.messages.get(entity.path)?.values() ?? [])];
    messages.sort((a, b) => a.sequenceNumber - b.sequenceNumber);
    for (const message of messages) entity.restore(message);
    for (const [sessionId, state] of contents.sessionStates.get(entity.path) ?? []) {
      entity.restoreSessionState(sessionId, state);
    }
  }
  for (const [path, seen] of contents.seen) {
    for (const [id, at] of seen) namespace.restoreSeen(path, id, at);
  }
}
