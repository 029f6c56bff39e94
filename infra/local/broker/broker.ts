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
import { Claims } from './claims';
import { managementApi } from './management-http';
import { localCertificate } from './tls-certificate';
import { createServer as createHttpServer } from 'node:http';

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
  /** Also serve as Azure does: AMQPS and the management API over HTTPS, with shared access keys. */
  readonly secure?: SecureOptions;
}

export interface SecureOptions {
  /** Where the self-signed certificate is kept (made there on first use; see `localCertificate`). */
  readonly certificateDir: string;
  /** The namespace's shared access policies: key name → key. */
  readonly sharedAccessKeys: Readonly<Record<string, string>>;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
}

/** The TLS face of a running broker. */
export interface SecureEndpoint {
  readonly port: number;
  /**
   * A connection string as the Azure portal gives one: `Endpoint=sb://<host>:<port>/;SharedAccessKeyName=...;
   * SharedAccessKey=...` (the first key). The data-plane client and `ServiceBusAdministrationClient` both use it.
   */
  readonly connectionString: string;
  /** `<host>:<port>`, for `new ServiceBusClient(fullyQualifiedNamespace, credential)`. */
  readonly fullyQualifiedNamespace: string;
  /** The self-signed certificate clients must trust (`NODE_EXTRA_CA_CERTS`, or a TLS `ca` option). */
  readonly certificatePath: string;
}

export interface RunningBroker {
  readonly host: string;
  readonly port: number;
  /** A connection string `@azure/service-bus` accepts (plain AMQP on loopback). */
  readonly connectionString: string;
  /** The broker's state, for tests and diagnostics. */
  readonly namespace: Namespace;
  /** Present when started with `secure`. */
  readonly secure?: SecureEndpoint;
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

  const keys = new Map(Object.entries(options.secure?.sharedAccessKeys ?? {}));
  const server = new AmqpServer(
    namespace,
    clock,
    logger,
    options.secure ? new Claims(keys, clock) : undefined,
  );
  let port: number;
  let secure: SecureEndpoint | undefined;
  try {
    port = await listening(host, options.port, () => server.listen(host, options.port ?? 0));
    if (options.secure) {
      secure = await startSecure(server, host, options.secure, {
        namespace,
        config,
        keys,
        access: server.access,
        createdAt: clock(),
        clock,
      });
    }
  } catch (error) {
    await server.close();
    journalFile?.close();
    throw error;
  }
  const ticker = setInterval(() => server.afterTick(namespace.tick(clock())), options.tickMs ?? 100);
  ticker.unref();
  logger.info('local Service Bus broker listening', {
    host,
    port,
    ...(secure ? { securePort: secure.port } : {}),
    durable: Boolean(options.journalPath),
  });

  return {
    host,
    port,
    connectionString: `Endpoint=sb://${host}:${port};SharedAccessKeyName=local;SharedAccessKey=local;UseDevelopmentEmulator=true`,
    namespace,
    ...(secure ? { secure } : {}),
    stop: async () => {
      clearInterval(ticker);
      await server.close();
      journalFile?.close();
    },
  };
}

async function startSecure(
  server: AmqpServer,
  host: string,
  options: SecureOptions,
  api: Parameters<typeof managementApi>[0],
): Promise<SecureEndpoint> {
  const [keyName, key] = Object.entries(options.sharedAccessKeys)[0] ?? [];
  if (keyName === undefined || key === undefined) {
    throw PipelineError.permanent(
      'broker.listen-failed',
      'a TLS listener needs at least one shared access key',
      {
        host,
      },
    );
  }
  const certificate = localCertificate(options.certificateDir);
  const http = createHttpServer(managementApi(api));
  const port = await listening(host, options.port, () =>
    server.listenSecure(host, options.port ?? 0, certificate, (socket) => http.emit('connection', socket)),
  );
  const fullyQualifiedNamespace = `${host}:${port}`;
  return {
    port,
    connectionString: `Endpoint=sb://${fullyQualifiedNamespace}/;SharedAccessKeyName=${keyName};SharedAccessKey=${key}`,
    fullyQualifiedNamespace,
    certificatePath: certificate.certPath,
  };
}

/** Runs `listen`, turning its failure into the broker's error codes. */
async function listening(
  host: string,
  port: number | undefined,
  listen: () => Promise<number>,
): Promise<number> {
  try {
    return await listen();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw PipelineError.permanent('broker.port-in-use', `port ${port} on ${host} is already in use`, {
        host,
        port: port ?? 0,
      });
    }
    throw PipelineError.permanent(
      'broker.listen-failed',
      `could not listen on ${host}:${port}: ${String(error)}`,
      {
        host,
      },
    );
  }
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
