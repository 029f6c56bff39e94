import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDir } from '../../testing/temp-dirs';
import { fixturePath } from '../../testing/fixtures/fixture-path';

// `azl-rebuilder ingest normalize` run as a user runs it: the built CLI (`npm run build`) in a real process.

const root = join(__dirname, '..', '..');
const bin = join(root, 'bin', 'azl-rebuilder.js');
const fixtures = fixturePath('fedora-messages');

interface Run {
  readonly code: number | null;
  readonly lines: Record<string, unknown>[];
  readonly stderr: string;
}

function normalizeCli(args: readonly string[], stdin?: string): Run {
  const result = spawnSync(process.execPath, [bin, 'ingest', 'normalize', ...args], {
    cwd: root,
    input: stdin ?? '',
    encoding: 'utf8',
    timeout: 30_000,
  });
  const lines = result.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code: result.status, lines, stderr: result.stderr };
}

const scratch = useTempDir('azl-ingest-normalize-');

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'hosts', 'cli', 'ingest-normalize-command.js'))) {
    throw new Error('dist/ lacks the ingest normalize command: run `npm run build` (npm test does it) first');
  }
});

describe('azl-rebuilder ingest normalize', () => {
  it('a directory: every *.json in name order; a bare body is rejected ⇒ exit 2', () => {
    const run = normalizeCli([join(fixtures, 'buildsys.build.state.change')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('');
    expect(run.lines.map((l) => [l.id, l.outcome])).toEqual([
      ['eb9af16c-7324-4140-bc99-1822915f359b', 'accepted'],
      [null, 'rejected'],
      ['2015-6395fb7a-e5a7-4b95-858a-ff7b80410e7f', 'accepted'],
    ]);
    expect(run.lines[0]).toMatchObject({
      topic: 'org.fedoraproject.prod.buildsys.build.state.change',
      event: {
        kind: 'build-canceled',
        packages: ['prusa-slicer'],
        builds: [{ nvr: 'prusa-slicer-2.9.4-1.fc44', kojiBuildId: 2860061 }],
        tag: 'rawhide',
        release: 'rawhide',
        commit: 'ddbac739fc9482082b06028e5606f74c06e1db07',
        time: '2025-11-17T14:42:02.000Z',
      },
    });
    expect(run.lines[1]).toMatchObject({ topic: null, path: '' });
    expect(Object.keys(run.lines[1]!)).toEqual(['id', 'topic', 'outcome', 'reason', 'path']);
  });

  it('files with accepted and ignored messages only ⇒ exit 0', () => {
    const run = normalizeCli([
      join(fixtures, 'buildsys.rpm.sign', '1.json'),
      join(fixtures, 'bodhi.update.complete.testing', '1.json'),
    ]);
    expect(run.code).toBe(0);
    expect(run.lines).toEqual([
      {
        id: 'b1cb6938-bab8-4597-b278-dd45f5491ce8',
        topic: 'org.fedoraproject.prod.buildsys.rpm.sign',
        outcome: 'ignored',
        reason:
          'buildsys.rpm.sign is sent per RPM and signing key; builds are followed by build.state.change and tag',
      },
      expect.objectContaining({
        id: '2019-92fe5e1a-2c84-4251-ba4b-e06ccea43204',
        outcome: 'accepted',
        event: expect.objectContaining({
          kind: 'update-testing',
          packages: ['nfs-ganesha'],
          release: 'f29',
          tag: 'f29-updates-testing',
        }) as unknown,
      }),
    ]);
  });

  it('- reads standard input: an array of mixed forms, with --rawhide-release', () => {
    const tagBody = JSON.parse(readFileSync(join(fixtures, 'buildsys.tag', '1.json'), 'utf8')) as object;
    const wire = {
      id: 'stdin-1',
      topic: 'org.fedoraproject.prod.buildsys.tag',
      headers: { 'sent-at': '2025-06-01T12:00:00+00:00' },
      body: { ...tagBody, tag: 'f44', release: '1.fc44' },
    };
    const v1 = { msg_id: 'stdin-2', topic: wire.topic, timestamp: 1748779200, msg: wire.body };
    const page = { raw_messages: [{ ...wire, id: 'stdin-3', priority: 0, queue: null }], count: 1 };
    const input = JSON.stringify([wire, v1]);
    const plain = normalizeCli(['-'], input);
    expect(plain.code).toBe(0);
    expect(plain.lines.map((l) => (l.event as { release: string }).release)).toEqual(['f44', 'f44']);
    const configured = normalizeCli(['--rawhide-release', '44', '-'], input);
    expect(configured.lines.map((l) => [l.id, (l.event as { release: string }).release])).toEqual([
      ['stdin-1', 'rawhide'],
      ['stdin-2', 'rawhide'],
    ]);
    expect(normalizeCli(['-'], JSON.stringify(page)).lines).toMatchObject([
      { id: 'stdin-3', outcome: 'accepted' },
    ]);
  });

  it('an unreadable file or invalid JSON is named on stderr ⇒ exit 1; the other inputs are still printed', () => {
    const broken = join(scratch, 'broken.json');
    writeFileSync(broken, '{"id": "x",');
    const missing = join(scratch, 'missing.json');
    const run = normalizeCli([broken, missing, join(fixtures, 'buildsys.rpm.sign', '1.json')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${broken}: invalid JSON`);
    expect(run.stderr).toContain(`${missing}: cannot read`);
    expect(run.lines).toMatchObject([{ outcome: 'ignored' }]);
    const stdin = normalizeCli(['-'], 'not json');
    expect(stdin.code).toBe(1);
    expect(stdin.stderr).toContain('<stdin>: invalid JSON');
  });
});
