import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake lookaside answers for one path: bytes, or a bare status (404, 500, ...). */
export type Answer = Buffer | number;

export interface LookasideServer {
  readonly base: string;
  /** Answers by decoded request path (e.g. `/repo/pkgs/hello/a.tar/sha512/<hash>/a.tar`). */
  readonly answers: Map<string, Answer>;
  readonly requests: string[];
  close(): Promise<void>;
}

/** A node:http server on 127.0.0.1:0; unknown paths are 404. */
export async function startLookaside(): Promise<LookasideServer> {
  const answers = new Map<string, Answer>();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const answer = answers.get(path) ?? 404;
    if (typeof answer === 'number') {
      res.writeHead(answer).end(`status ${answer}`);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(answer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    answers,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A loopback port nothing listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
