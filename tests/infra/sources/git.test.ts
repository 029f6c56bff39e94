import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PipelineError } from '../../../shared/errors';
import { classifyGitFailure } from '../../../infra/sources/git-errors';
import { runGit } from '../../../infra/sources/git-runner';

let server: Server;
let port: number;
const sockets: Socket[] = [];

beforeAll(async () => {
  // Accepts connections and never says anything: git waits until our timeout kills it.
  server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('runGit', () => {
  it('kills a git that hangs on the network and reports sources.unavailable', async () => {
    const started = Date.now();
    const error = await runGit(['ls-remote', `http://127.0.0.1:${port}/rpms/x.git`], { timeoutMs: 500 }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(PipelineError.is(error, 'sources.unavailable')).toBe(true);
    expect((error as PipelineError).retryable).toBe(true);
    expect((error as PipelineError).context).toMatchObject({ command: 'ls-remote', timeoutMs: 500 });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses transports outside the allow-list even if asked directly', async () => {
    const result = await runGit(['ls-remote', 'ext::sh -c true'], { timeoutMs: 5_000 });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/transport 'ext' not allowed/);
  });
});

describe('classifyGitFailure', () => {
  const classify = (stderr: string) =>
    classifyGitFailure({ code: 128, stdout: '', stderr }, 'fetch', { branch: 'f43' });

  it('names unknown refs, missing repositories and everything else', () => {
    expect(classify("fatal: couldn't find remote ref refs/heads/f99")).toMatchObject({
      code: 'sources.unknown-ref',
    });
    expect(classify('fatal: remote error: upload-pack: not our ref 0123')).toMatchObject({
      code: 'sources.unknown-ref',
    });
    expect(classify("fatal: repository 'https://x/rpms/nope.git/' not found")).toMatchObject({
      code: 'sources.not-found',
    });
    const dns = classify("fatal: unable to access 'https://x/': Could not resolve host: x");
    expect(dns).toMatchObject({ code: 'sources.unavailable', retryable: true });
    expect(dns.context).toMatchObject({ branch: 'f43', operation: 'fetch', exitCode: 128 });
  });
});
