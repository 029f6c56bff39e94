import { ServiceBusClient } from '@azure/service-bus';
import type {
  FunctionTable,
  HttpFunction,
  ServiceBusFunction,
  TimerFunction,
} from '../../../functions/table';
import { PipelineError } from '../../../shared/errors';
import type { HostConfig } from './host-config';
import type { Logger } from '../../../shared/logger';
import type { FunctionKeys } from './function-keys';
import { startHttpServer } from './http-server';
import type { ServiceBusListener } from './service-bus-listener';
import { listen } from './service-bus-listener';
import { startTimerScheduler } from './timer-scheduler';

export interface LocalHostOptions {
  readonly table: FunctionTable;
  /** Service Bus connection strings by the app-setting name a trigger's `connection` names. */
  readonly serviceBusConnections: Readonly<Record<string, string>>;
  readonly hostConfig: HostConfig;
  /**
   * Where the table's HTTP functions are served. Absent: no HTTP server, for a host whose functions are
   * served elsewhere (the local runtime's HTTP instance, `azl-rebuilder worker`); the table must then hold none.
   */
  readonly http?: {
    readonly host?: string;
    readonly port?: number;
    readonly functionKeys: FunctionKeys;
    /** Paths outside `/api` answered as the route given (see `HttpServerOptions.rootPaths`). */
    readonly rootPaths?: Readonly<Record<string, string>>;
  };
  readonly logger: Logger;
}

export interface RunningLocalHost {
  /** Where the HTTP functions are served; absent when the host was started without `http`. */
  readonly http?: {
    /** Base URL of the HTTP functions, without `/api`. */
    readonly url: string;
    readonly port: number;
  };
  stop(): Promise<void>;
}

/**
 * Drives a function table the way the Azure Functions host does: HTTP triggers on `/api/<route>`, timers on
 * their NCRONTAB schedules, Service Bus triggers with peek-lock and the host.json limits. Same handlers,
 * same table as `functions/index.ts` registers in Azure.
 */
export async function startLocalHost(options: LocalHostOptions): Promise<RunningLocalHost> {
  const { table, logger } = options;
  const serviceBus = table.filter(
    (f): f is ServiceBusFunction => f.kind === 'serviceBusQueue' || f.kind === 'serviceBusTopic',
  );
  const httpFunctions = table.filter((f): f is HttpFunction => f.kind === 'http');
  const httpOptions = options.http;
  if (!httpOptions && httpFunctions.length > 0) {
    throw PipelineError.permanent(
      'host.no-http',
      `function '${httpFunctions[0]!.name}' is an HTTP trigger, and this host serves no HTTP`,
      { functionName: httpFunctions[0]!.name },
    );
  }
  const clients = clientsFor(serviceBus, options.serviceBusConnections);

  const http = httpOptions
    ? await startHttpServer({
        functions: httpFunctions,
        ...(httpOptions.host === undefined ? {} : { host: httpOptions.host }),
        ...(httpOptions.port === undefined ? {} : { port: httpOptions.port }),
        functionKeys: httpOptions.functionKeys,
        ...(httpOptions.rootPaths === undefined ? {} : { rootPaths: httpOptions.rootPaths }),
        logger,
      })
    : undefined;
  const timers = startTimerScheduler({
    functions: table.filter((f): f is TimerFunction => f.kind === 'timer'),
    logger,
  });
  const listeners: ServiceBusListener[] = serviceBus.map((fn) =>
    listen(fn, { client: clients.get(fn.name)!, hostConfig: options.hostConfig, logger }),
  );
  logger.info('local host started', {
    ...(http ? { http: http.url } : {}),
    functions: table.map((f) => `${f.kind}:${f.name}`),
  });

  let stopping: Promise<void> | undefined;
  return {
    ...(http ? { http: { url: http.url, port: http.port } } : {}),
    stop: () =>
      (stopping ??= (async () => {
        await Promise.allSettled(listeners.map((l) => l.stop()));
        await timers.stop();
        await http?.close();
        await Promise.allSettled([...clients.values()].map((c) => c.close()));
      })()),
  };
}

/**
 * One client, so one AMQP connection, per function (by name). The Functions host shares a client per
 * connection setting; here every session worker of every function would then hang its AMQP session on one
 * connection, and rhea walks all of a connection's sessions on each frame it processes: with 32 session
 * workers per session-enabled function that walk was a fifth of the pipeline's CPU in the scale benchmark.
 */
function clientsFor(
  functions: readonly ServiceBusFunction[],
  connections: Readonly<Record<string, string>>,
): Map<string, ServiceBusClient> {
  const clients = new Map<string, ServiceBusClient>();
  for (const fn of functions) {
    const connectionString = connections[fn.connection];
    if (!connectionString) {
      throw PipelineError.permanent(
        'host.missing-connection',
        `function '${fn.name}' uses the Service Bus connection '${fn.connection}', which is not configured`,
        { functionName: fn.name, setting: fn.connection },
      );
    }
    clients.set(fn.name, new ServiceBusClient(connectionString));
  }
  return clients;
}
