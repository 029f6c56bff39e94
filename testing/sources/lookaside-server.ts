import { serveOnLoopback } from '../loopback-http';

/** What the fake lookaside answers for one path: bytes, or a bare status (404, 500, ...). */
export type Answer = Buffer | number;

export interface LookasideServer {
  readonly base: string;
  /** Answers by decoded request path (e.g. `/repo/pkgs/hello/a.tar/sha512/<hash>/a.tar`). */
  readonly answers: Map<string, Answer>;
  readonly requests: string[];
  close(): Promise<void>;
}

/** A fake lookaside on loopback; unknown paths are 404. */
export async function startLookaside(): Promise<LookasideServer> {
  const answers = new Map<string, Answer>();
  const requests: string[] = [];
  const server = await serveOnLoopback((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const answer = answers.get(path) ?? 404;
    if (typeof answer === 'number') {
      res.writeHead(answer).end(`status ${answer}`);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(answer);
  });
  return { base: server.origin, answers, requests, close: server.close };
}
