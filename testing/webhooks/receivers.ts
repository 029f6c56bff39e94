import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import { makeTestPki } from '../rabbitmq/pki';

/**
 * Real webhook receivers on 127.0.0.1 for delivery tests: HTTP, or HTTPS with a certificate from a test CA
 * (`receiverPki`) that the client trusts through its `ca` option. A receiver records what it was sent; a raw
 * receiver gets the bare socket, for the misbehaving ones (a status line dripped byte by byte, a reset, a
 * handshake that never comes).
 */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  /** The TLS server name (SNI) the client sent; undefined over plain HTTP or without SNI. */
  readonly servername: string | undefined;
}

export interface TestReceiver {
  /** `https://127.0.0.1:<port>` or `http://...`, no trailing slash. */
  readonly origin: string;
  readonly port: number;
  readonly received: ReceivedRequest[];
  close(): Promise<void>;
}

export interface ReceiverPki {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

/** A test CA and a server certificate for `names` (and 127.0.0.1). */
export function receiverPki(dir: string, names: readonly string[]): ReceiverPki {
  const pki = makeTestPki(dir, names);
  return {
    ca: readFileSync(pki.caFile, 'utf8'),
    cert: readFileSync(pki.server.certFile, 'utf8'),
    key: readFileSync(pki.server.keyFile, 'utf8'),
  };
}

/** Handles each request after its body has been read and recorded. */
export type ReceiverHandler = (request: ReceivedRequest, response: ServerResponse) => void;

/** A receiver that reads and records every request, then lets `handle` answer (or not). */
export async function startReceiver(handle: ReceiverHandler, tls?: ReceiverPki): Promise<TestReceiver> {
  const received: ReceivedRequest[] = [];
  const listener: RequestListener = (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const socket = request.socket as Partial<TLSSocket>;
      const servername = typeof socket.servername === 'string' ? socket.servername : undefined;
      const entry: ReceivedRequest = {
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        servername,
      };
      received.push(entry);
      handle(entry, response);
    });
  };
  const server =
    tls === undefined
      ? createHttpServer(listener)
      : createHttpsServer({ cert: tls.cert, key: tls.key }, listener);
  const port = await listen(server);
  return {
    origin: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    port,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A receiver that gets the raw socket (after the TLS handshake when `tls` is given) and does what it likes. */
export async function startRawReceiver(
  onSocket: (socket: Socket) => void,
  tls?: ReceiverPki,
): Promise<Omit<TestReceiver, 'received'>> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    socket.on('error', () => undefined);
    onSocket(socket);
  };
  const server =
    tls === undefined ? createNetServer(track) : createTlsServer({ cert: tls.cert, key: tls.key }, track);
  // Every connection, a TLS handshake still pending included, is closed with the receiver.
  server.on('connection', (raw: Socket) => {
    sockets.add(raw);
    raw.on('close', () => sockets.delete(raw));
    raw.on('error', () => undefined);
  });
  if (tls !== undefined) server.on('tlsClientError', () => undefined);
  const port = await listen(server);
  return {
    origin: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}
