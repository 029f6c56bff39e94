import { http, passthrough } from 'msw';
import type { RequestHandler } from 'msw';
import { setupServer } from 'msw/node';
import type { SetupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { azuriteConnectionString } from './azurite';

/**
 * msw stand-ins for remote HTTP services, one server per test file. A request no handler answers fails
 * (msw's `error` strategy: a network error and a printed message) instead of going out to the network. The
 * one exception is a test that also uses the run's Azurite (`azurite: true`): the Azure SDKs send their
 * requests with Node's http module, which msw intercepts as well, so requests to Azurite's own endpoints,
 * and to nothing else, are passed through by explicit handlers.
 */
export interface MswOptions {
  /** Let requests to the run's Azurite (its blob, queue and table endpoints) through. */
  readonly azurite?: boolean;
}

/**
 * Listens before the file's tests and closes after them; a test adds handlers with `server.use` and they,
 * with any `server.events` listener it added, are gone after it (the `handlers` given here stay).
 */
export function useMsw(handlers: readonly RequestHandler[] = [], options: MswOptions = {}): SetupServer {
  const throughToAzurite = options.azurite
    ? storageOrigins(azuriteConnectionString()).map((origin) => http.all(`${origin}/*`, () => passthrough()))
    : [];
  const server = setupServer(...handlers, ...throughToAzurite);
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    server.resetHandlers();
    server.events.removeAllListeners();
  });
  afterAll(() => server.close());
  return server;
}

/** The origins (`http://127.0.0.1:<port>`) of a storage connection string's endpoints. */
function storageOrigins(connectionString: string): string[] {
  return connectionString
    .split(';')
    .filter((part) => /^(Blob|Queue|Table)Endpoint=/.test(part))
    .map((part) => new URL(part.slice(part.indexOf('=') + 1)).origin);
}
