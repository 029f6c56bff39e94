import type { AddressInfo } from 'node:net';
import type { Server as TlsServer, TLSSocket } from 'node:tls';
import { createServer } from 'node:tls';

/** What a TLS connection turned out to speak, from its first bytes. */
export interface SecureRoutes {
  /** AMQP 1.0 (its protocol header starts `AMQP`): the Service Bus data plane, AMQPS. */
  amqp(socket: TLSSocket): void;
  /** Anything else is taken as HTTP/1.1: the management API the administration client calls. */
  http(socket: TLSSocket): void;
}

/**
 * One TLS port for both faces of the namespace. The SDK derives both from the one `Endpoint` of a connection
 * string: the AMQP client connects to its port (5671 when none is given) and the administration client calls
 * `https://<host:port>/` (443 when none is given). Azure answers the two on different default ports; a local
 * endpoint with an explicit port needs both on that port, so each connection is routed by its first bytes.
 */
export async function listenSecure(
  host: string,
  port: number,
  credentials: { key: string; cert: string },
  routes: SecureRoutes,
): Promise<SecureListener> {
  const server: TlsServer = createServer({ key: credentials.key, cert: credentials.cert });
  const sockets = new Set<TLSSocket>();
  server.on('secureConnection', (socket: TLSSocket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      if (first.subarray(0, 4).toString('latin1') === 'AMQP') routes.amqp(socket);
      else routes.http(socket);
      socket.resume();
    });
    socket.on('error', () => socket.destroy());
  });
  // A failed handshake (a client that does not trust the certificate, or speaks no TLS) closes that socket only.
  server.on('tlsClientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
    server.listen(port, host);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      // HTTP keep-alive sockets would hold `close` open: end every connection first.
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface SecureListener {
  readonly port: number;
  close(): Promise<void>;
}
