import { mkdirSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../hosts/cli/main';
import { useLoopbackServer } from '../../../testing/loopback-http';
import { generateRpm } from '../../../testing/rpm/rpm-generator';
import { useTempDir } from '../../../testing/temp-dirs';

/**
 * The long commands run in process with stderr and stdout not terminals (as in a CI log or a pipe): their
 * stdout is byte for byte what `--no-progress` prints, and the progress is on stderr as plain lines (here
 * the summary alone: these runs are shorter than the interval between progress lines).
 */
const work = useTempDir('azl-cli-progress-');

let stdout = '';
let stderr = '';
const capture = (append: (text: string) => void) =>
  ((chunk: string | Uint8Array, encodingOrDone?: unknown, done?: unknown) => {
    append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    const callback = typeof encodingOrDone === 'function' ? encodingOrDone : done;
    if (typeof callback === 'function') (callback as () => void)();
    return true;
  }) as typeof process.stdout.write;

const ttyBefore = { stdout: process.stdout.isTTY, stderr: process.stderr.isTTY };
beforeEach(() => {
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation(capture((text) => (stdout += text)));
  vi.spyOn(process.stderr, 'write').mockImplementation(capture((text) => (stderr += text)));
  process.stdout.isTTY = false;
  process.stderr.isTTY = false;
  vi.stubEnv('CI', '');
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  process.stdout.isTTY = ttyBefore.stdout;
  process.stderr.isTTY = ttyBefore.stderr;
});

/** Runs the CLI with `args`, then again with `--no-progress`: both runs' exit code, stdout and stderr. */
async function withAndWithoutProgress(args: string[]) {
  const withProgress = { code: await main(args), stdout, stderr };
  stdout = '';
  stderr = '';
  const without = { code: await main([...args, '--no-progress']), stdout, stderr };
  return { withProgress, without };
}

describe('progress on stderr, stdout unchanged', () => {
  it('repo index: the JSON summary is identical, stderr says how many RPMs were read', async () => {
    const dir = join(work, 'rpms');
    mkdirSync(dir);
    for (const name of ['alpha', 'beta', 'gamma']) {
      const rpm = generateRpm({ name, version: '1.0', release: '1.azl4', arch: 'x86_64' });
      writeFileSync(join(dir, `${name}-1.0-1.azl4.x86_64.rpm`), rpm);
    }
    const { withProgress, without } = await withAndWithoutProgress(['repo', 'index', dir, '--revision', '7']);

    expect(withProgress.code, withProgress.stdout).toBe(0);
    expect(without.code).toBe(0);
    expect(withProgress.stdout).toBe(without.stdout);
    expect((JSON.parse(withProgress.stdout) as { packages: number }).packages).toBe(3);
    expect(withProgress.stderr).toMatch(/^azl-rebuilder repo index: 3\/3 RPMs read in \d+\.\d s\n$/);
    expect(without.stderr).toBe('');
  });

  const received: unknown[][] = [];
  const ingest = useLoopbackServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const messages = JSON.parse(body) as { id: string; topic: string }[];
      received.push(messages);
      response.writeHead(202, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          results: messages.map((m) => ({ id: m.id, topic: m.topic, outcome: 'accepted' })),
        }),
      );
    });
  });

  it('replay: the line per message and the summary are identical, stderr counts the messages', async () => {
    const dir = join(work, 'messages');
    mkdirSync(dir);
    const topic = 'org.fedoraproject.prod.buildsys.build.state.change';
    writeFileSync(join(dir, '01.json'), JSON.stringify({ id: 'progress-1', topic, body: {} }));
    writeFileSync(
      join(dir, '02.json'),
      JSON.stringify([
        { id: 'progress-2', topic, body: {} },
        { id: 'progress-3', topic, body: {} },
      ]),
    );
    const { withProgress, without } = await withAndWithoutProgress([
      'replay',
      '--url',
      `${ingest.origin}/api`,
      dir,
    ]);

    expect(received.flat()).toHaveLength(6); // both runs sent all three
    expect(withProgress.code, withProgress.stderr).toBe(0);
    expect(without.code).toBe(0);
    expect(withProgress.stdout).toBe(without.stdout);
    expect(
      withProgress.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
    ).toEqual([
      { input: join(dir, '01.json#0'), id: 'progress-1', topic, outcome: 'accepted' },
      { input: join(dir, '02.json#0'), id: 'progress-2', topic, outcome: 'accepted' },
      { input: join(dir, '02.json#1'), id: 'progress-3', topic, outcome: 'accepted' },
      { summary: { messages: 3, accepted: 3, duplicate: 0, ignored: 0, rejected: 0, unsent: 0 } },
    ]);
    expect(withProgress.stderr).toMatch(/^azl-rebuilder replay: 3\/3 messages in \d+\.\d s\n$/);
    expect(without.stderr).toBe('');
  });
});
