import { createServer } from 'node:http';
import type { RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useStarted } from './lifecycle';

/**
 * Real HTTP servers on 127.0.0.1, for stand-ins that another process, or a client msw cannot reach (git,
 * a child process), talks to: a lookaside, datagrepper, an ingest endpoint, a repodata mirror.
 */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly origin: string;
  readonly port: number;
  /** Closes the server and every connection still open (a client left hanging on purpose included). */
  close(): Promise<void>;
}

/** Serves `listener` on a free loopback port. */
export async function serveOnLoopback(listener: RequestListener): Promise<LoopbackServer> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** `serveOnLoopback` for the tests of a block: listening before them, closed after them. */
export function useLoopbackServer(listener: RequestListener): LoopbackServer {
  const started = useStarted(
    'the loopback server',
    () => serveOnLoopback(listener),
    (server) => server.close(),
  );
  return {
    get origin() {
      return started().origin;
    },
    get port() {
      return started().port;
    },
    close: () => started().close(),
  };
}

/** A loopback port nothing listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
  const server = await serveOnLoopback(() => undefined);
  await server.close();
  return server.port;
}
