import { connect, createServer } from 'node:net';
import type { Server } from 'node:net';

/**
 * Loopback port helpers for local emulators. Picking a port by binding port 0 and closing it is racy (another
 * process may take it before the emulator binds), so a caller that picks ports this way must tolerate a failed
 * start; a caller that was handed a port checks it with `isPortFree` first, so the failure names the port
 * instead of surfacing as an emulator crash.
 */

export const LOOPBACK = '127.0.0.1';

/** `count` distinct ports that were free a moment ago. They are bound together, so none repeats. */
export async function findFreePorts(count: number, host: string = LOOPBACK): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i += 1) servers.push(await listen(0, host));
    return servers.map((server) => {
      const address = server.address();
      if (typeof address !== 'object' || address === null) throw new Error('listening socket has no port');
      return address.port;
    });
  } finally {
    await Promise.all(servers.map(close));
  }
}

/** Whether `port` can be bound on `host` right now: false when it is taken (EADDRINUSE) or forbidden (EACCES). */
export async function isPortFree(port: number, host: string = LOOPBACK): Promise<boolean> {
  try {
    await close(await listen(port, host));
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') return false;
    throw error;
  }
}

function listen(port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => resolve(server));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Whether something accepts TCP connections on `port` (a cheap readiness check for a local server). */
export function isPortListening(port: number, host: string = LOOPBACK): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
