import { mkdirSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../hosts/cli/main';
import { useLoopbackServer } from '../../../testing/loopback-http';
import { generateRpm } from '../../../testing/rpm/rpm-generator';
import { capturedWrite } from '../../../testing/captured-write';
import { useTempDir } from '../../../testing/temp-dirs';

/**
 * The long commands run in process with stderr and stdout not terminals (as in a CI log or a pipe): their
 * stdout is byte for byte what `--no-progress` prints, and the progress is on stderr as plain lines. These
 * runs are quicker than the default interval between lines, so they print none (stderr unchanged); with
 * `--progress-interval 0` they print one per step and the summary.
 */
const work = useTempDir('azl-cli-progress-');

let stdout = '';
let stderr = '';
const capture = capturedWrite;

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

/** Runs the CLI with `args` as they are, with `--progress-interval 0`, and with `--no-progress`. */
async function threeWays(args: string[]) {
  const run = async (extra: string[]) => {
    stdout = '';
    stderr = '';
    const code = await main([...args, ...extra]);
    return { code, stdout, stderr };
  };
  return {
    quiet: await run([]),
    everyStep: await run(['--progress-interval', '0']),
    without: await run(['--no-progress']),
  };
}

describe('progress on stderr, stdout unchanged', () => {
  it('repo index: the JSON summary is identical, stderr says how many RPMs were read', async () => {
    const dir = join(work, 'rpms');
    mkdirSync(dir);
    for (const name of ['alpha', 'beta', 'gamma']) {
      const rpm = generateRpm({ name, version: '1.0', release: '1.azl4', arch: 'x86_64' });
      writeFileSync(join(dir, `${name}-1.0-1.azl4.x86_64.rpm`), rpm);
    }
    const { quiet, everyStep, without } = await threeWays(['repo', 'index', dir, '--revision', '7']);

    expect([quiet.code, everyStep.code, without.code], everyStep.stdout).toEqual([0, 0, 0]);
    expect(quiet.stdout).toBe(without.stdout);
    expect(everyStep.stdout).toBe(without.stdout);
    expect((JSON.parse(without.stdout) as { packages: number }).packages).toBe(3);
    expect(quiet.stderr).toBe('');
    expect(without.stderr).toBe('');
    expect(everyStep.stderr.split('\n')).toEqual([
      expect.stringMatching(
        /^azl-rebuilder repo index: 1\/3 RPMs read \(33%\), \d+\.\d s, about \d+\.\d s left$/,
      ),
      expect.stringMatching(/^azl-rebuilder repo index: 2\/3 RPMs read \(66%\), /),
      expect.stringMatching(/^azl-rebuilder repo index: 3\/3 RPMs read \(100%\), \d+\.\d s$/),
      expect.stringMatching(/^azl-rebuilder repo index: 3\/3 RPMs read in \d+\.\d s$/),
      '',
    ]);
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
    const { quiet, everyStep, without } = await threeWays(['replay', '--url', `${ingest.origin}/api`, dir]);

    expect(received.flat()).toHaveLength(9); // each run sent all three
    expect([quiet.code, everyStep.code, without.code], everyStep.stderr).toEqual([0, 0, 0]);
    expect(quiet.stdout).toBe(without.stdout);
    expect(everyStep.stdout).toBe(without.stdout);
    expect(
      without.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
    ).toEqual([
      { input: join(dir, '01.json#0'), id: 'progress-1', topic, outcome: 'accepted' },
      { input: join(dir, '02.json#0'), id: 'progress-2', topic, outcome: 'accepted' },
      { input: join(dir, '02.json#1'), id: 'progress-3', topic, outcome: 'accepted' },
      { summary: { messages: 3, accepted: 3, duplicate: 0, ignored: 0, rejected: 0, unsent: 0 } },
    ]);
    expect(quiet.stderr).toBe('');
    expect(without.stderr).toBe('');
    // One body for the three messages: one step, then the summary.
    expect(everyStep.stderr.split('\n')).toEqual([
      expect.stringMatching(/^azl-rebuilder replay: 3\/3 messages \(100%\), \d+\.\d s$/),
      expect.stringMatching(/^azl-rebuilder replay: 3\/3 messages in \d+\.\d s$/),
      '',
    ]);
  });
});
