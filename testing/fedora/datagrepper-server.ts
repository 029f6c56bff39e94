import type { FakeDatagrepper } from './fake-datagrepper';
import { serveOnLoopback } from '../loopback-http';

/**
 * A `FakeDatagrepper` served over real HTTP on loopback, for a pipeline running in another process (msw only
 * reaches requests made by this one). Datagrepper is Fedora's remote service: this stands in for it.
 */
export interface DatagrepperServer {
  /** `http://127.0.0.1:<port>/datagrepper`, for `AZL_DATAGREPPER_URL`. */
  readonly baseUrl: string;
  /** How many `/v2/search` requests were answered. */
  readonly requests: () => number;
  close(): Promise<void>;
}

export async function serveFakeDatagrepper(fake: FakeDatagrepper): Promise<DatagrepperServer> {
  let answered = 0;
  const server = await serveOnLoopback((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method !== 'GET' || !url.pathname.endsWith('/datagrepper/v2/search')) {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    const answer = fake.answer(url);
    answered += 1;
    if (answer === 'hang') {
      request.socket.destroy();
      return;
    }
    response.writeHead(answer.status, answer.headers).end(answer.body);
  });
  return { baseUrl: `${server.origin}/datagrepper`, requests: () => answered, close: server.close };
}
