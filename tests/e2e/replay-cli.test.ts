import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { findFreePorts } from '../../infra/local/free-port';
import { runCli } from '../../testing/pipeline/cli-process';
import { waitForPendingEvents } from '../../testing/pipeline/pending-events';
import { useTempDir } from '../../testing/temp-dirs';
import { fixturePath } from '../../testing/fixtures/fixture-path';
import { useStartedPipeline } from '../../testing/pipeline/started-pipeline';

/** `azl-rebuilder replay` against a pipeline started with `azl-rebuilder start`, with recorded fixtures. */
const fixtures = fixturePath('fedora-messages');
const fixture = (path: string): unknown => JSON.parse(readFileSync(join(fixtures, path), 'utf8'));

const pipeline = useStartedPipeline('azl-replay-');
const inputs = useTempDir('azl-replay-inputs-');

interface Line {
  input?: string;
  id?: string | null;
  outcome?: string;
  reason?: string;
  summary?: Record<string, number>;
}

async function replay(
  args: readonly string[],
): Promise<{ code: number | null; lines: Line[]; output: string }> {
  const run = runCli(['replay', ...args]);
  const code = await run.exited;
  const lines = run
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Line);
  return { code, lines, output: run.output() };
}

const wireBuild = fixture('buildsys.build.state.change/1.json') as {
  id: string;
  body: Record<string, unknown>;
};
const v1Build = fixture('buildsys.build.state.change/3.json') as { msg_id: string };
const signed = fixture('buildsys.rpm.sign/1.json') as { id: string };

test('a folder of recorded messages: each outcome printed in name order, malformed ones rejected (exit 2)', async () => {
  copyFileSync(join(fixtures, 'buildsys.build.state.change/1.json'), join(inputs, '01-wire.json'));
  writeFileSync(join(inputs, '02-batch.json'), JSON.stringify([signed, v1Build]));
  const malformed = { ...wireBuild, id: 'replay-malformed-1', body: { ...wireBuild.body, build_id: 'x' } };
  writeFileSync(join(inputs, '03-malformed.json'), JSON.stringify(malformed));
  writeFileSync(join(inputs, 'notes.txt'), 'not a message: only *.json is read');

  const { code, lines, output } = await replay(['--local', '--data-dir', pipeline.dataDir, inputs]);
  expect(code, output).toBe(2);
  expect(lines.slice(0, -1).map((l) => [l.input, l.id, l.outcome])).toEqual([
    [join(inputs, '01-wire.json#0'), wireBuild.id, 'accepted'],
    [join(inputs, '02-batch.json#0'), signed.id, 'ignored'],
    [join(inputs, '02-batch.json#1'), v1Build.msg_id, 'accepted'],
    [join(inputs, '03-malformed.json#0'), 'replay-malformed-1', 'rejected'],
  ]);
  expect(lines[3]?.reason).toContain('build_id');
  expect(lines.at(-1)?.summary).toEqual({
    messages: 4,
    accepted: 2,
    duplicate: 0,
    ignored: 1,
    rejected: 1,
    unsent: 0,
  });

  // The accepted ones went through the pipeline: queued on `ingest` and kept pending by the planner.
  const pending = await waitForPendingEvents(pipeline.endpoints.storageConnectionString, [
    wireBuild.id,
    v1Build.msg_id,
  ]);
  expect(pending.map((e) => e.messageId).sort()).toEqual([wireBuild.id, v1Build.msg_id].sort());
}, 60_000);

test('replaying the same message again (by URL and key) is a duplicate, and exits 0', async () => {
  const { code, lines, output } = await replay([
    '--url',
    pipeline.endpoints.apiBaseUrl,
    '--key',
    pipeline.endpoints.functionKey,
    join(fixtures, 'buildsys.build.state.change/1.json'),
  ]);
  expect(code, output).toBe(0);
  expect(lines.map((l) => l.outcome ?? l.summary?.duplicate)).toEqual(['duplicate', 1]);
}, 30_000);

test('an archive of fedmsg-era records without msg_id, replayed twice: the second time every one is a duplicate', async () => {
  // A datagrepper page of the two real id-less pungi records (STARTED and FINISHED of one compose).
  const page = {
    raw_messages: [
      fixture('pungi.compose.status.change/1.json'),
      fixture('pungi.compose.status.change/2.json'),
    ],
  };
  writeFileSync(join(inputs, 'fedmsg-page.json'), JSON.stringify(page));
  const target = ['--url', pipeline.endpoints.apiBaseUrl, '--key', pipeline.endpoints.functionKey];
  const first = await replay([...target, join(inputs, 'fedmsg-page.json')]);
  const second = await replay([...target, join(inputs, 'fedmsg-page.json')]);
  expect(first.code, first.output).toBe(0);
  expect(second.code, second.output).toBe(0);
  const ids = first.lines.slice(0, -1).map((l) => l.id);
  expect(ids).toHaveLength(2);
  for (const id of ids) expect(id).toMatch(/^derived-[0-9a-f]{64}$/);
  expect(new Set(ids).size).toBe(2);
  expect(first.lines.slice(0, -1).map((l) => l.outcome)).toEqual(['accepted', 'accepted']);
  expect(second.lines.slice(0, -1).map((l) => [l.id, l.outcome])).toEqual(ids.map((id) => [id, 'duplicate']));
}, 60_000);

test('a wrong function key or no pipeline at all: the messages are reported unsent, exit 1', async () => {
  const file = join(fixtures, 'buildsys.tag/1.json');
  const refused = await replay(['--url', pipeline.endpoints.apiBaseUrl, '--key', 'not-the-key', file]);
  expect(refused.code).toBe(1);
  expect(refused.lines[0]).toMatchObject({ outcome: 'unsent', reason: 'replay.refused: not sent' });

  const [port] = await findFreePorts(1);
  const idless = join(fixtures, 'pungi.compose.status.change/1.json');
  const nobody = await replay(['--url', `http://127.0.0.1:${port}/api`, '--key', 'k', file, idless]);
  expect(nobody.code).toBe(1);
  expect(nobody.lines[0]).toMatchObject({ outcome: 'unsent', reason: 'replay.unreachable: not sent' });
  // An unsent fedmsg-era record is named by the id the pipeline would have given it.
  expect(nobody.lines[1]).toMatchObject({
    outcome: 'unsent',
    id: expect.stringMatching(/^derived-/) as unknown,
  });
  expect(nobody.output).toContain(`127.0.0.1:${port}`);
}, 30_000);

test('- reads the messages from standard input', async () => {
  const tag = fixture('buildsys.tag/1.json');
  const wire = {
    id: 'replay-stdin-1',
    topic: 'org.fedoraproject.prod.buildsys.tag',
    headers: { fedora_messaging_schema: 'base.message', 'sent-at': '2026-11-25T10:00:00+00:00' },
    body: tag,
  };
  const bin = join(__dirname, '..', '..', 'bin', 'azl-rebuilder.js');
  const run = spawnSync(process.execPath, [bin, 'replay', '--local', '--data-dir', pipeline.dataDir, '-'], {
    input: JSON.stringify([wire]),
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  const lines = run.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Line);
  expect(lines[0]).toMatchObject({ input: '<stdin>#0', id: 'replay-stdin-1', outcome: 'accepted' });
  expect(lines[1]?.summary).toMatchObject({ messages: 1, accepted: 1 });
}, 30_000);
