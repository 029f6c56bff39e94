import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpFunction } from '../../../functions/table';
import { PipelineError } from '../../../shared/errors';
import type { Logger } from '../../../shared/logger';
import type { FunctionKeys } from './function-keys';
import { createHttpHandler } from './http-handler';
import { DEFAULT_MAX_BODY_BYTES } from './http-request';
import { createHttpRouter } from './http-router';

export interface HttpServerOptions {
  readonly functions: readonly HttpFunction[];
  /** Interface to bind; loopback by default, the local host is not meant to be reachable from outside. */
  readonly host?: string;
  /** 7071 (the Functions host's local port) by default; 0 picks a free port. */
  readonly port?: number;
  readonly functionKeys: FunctionKeys;
  readonly logger: Logger;
  readonly maxBodyBytes?: number;
  /**
   * Paths outside the `/api` prefix answered as if they were the given route below it, e.g.
   * `{ '/': 'dashboard' }`: a convenience of the local host (Azure's host keeps `/` for its own page).
   */
  readonly rootPaths?: Readonly<Record<string, string>>;
}

export interface RunningHttpServer {
  /** Base URL without the `/api` prefix, e.g. `http://127.0.0.1:7071`. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting connections and resolves once in-flight requests are answered. Idempotent. */
  close(): Promise<void>;
}

/**
 * Serves the table's HTTP functions under `/api/<route>` like the Functions host. Route templates are
 * validated before listening (`host.invalid-route`); a taken port rejects with `host.port-in-use`.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const host = options.host ?? '127.0.0.1';
  const router = createHttpRouter(options.functions);
  const server = createServer(
    createHttpHandler({
      router,
      functionKeys: options.functionKeys,
      rootPaths: options.rootPaths ?? {},
      logger: options.logger.child({ component: 'http' }),
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    }),
  );
  await listen(server, host, options.port ?? 7071);
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  options.logger.info('http host listening', { url, functions: options.functions.map((f) => f.name) });

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') {
        reject(
          PipelineError.permanent(
            'host.port-in-use',
            `port ${port} on ${host} is already in use`,
            { host, port },
            error,
          ),
        );
      } else {
        reject(
          PipelineError.permanent(
            'host.listen-failed',
            `cannot listen on ${host}:${port}: ${error.message}`,
            { host, port },
            error,
          ),
        );
      }
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
