import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { runCli } from '../../testing/pipeline/cli-process';
import { useTempDir } from '../../testing/temp-dirs';
import { fixturePath } from '../../testing/fixtures/fixture-path';

/**
 * `azl-rebuilder plan` answers for the events it is given: no debounce unless asked, pins and relevance
 * whatever the window, repeats named by where they were read. The fixture tree follows cloud-init on f43 and
 * pins shim.
 */
const tree = fixturePath('azurelinux');
const dir = useTempDir('azl-plan-recorded-');
const file = (name: string) => join(dir, name);

const tagged = (messageId: string, pkg: string, release: string, time: string) => ({
  messageId,
  topic: 'org.fedoraproject.prod.buildsys.tag',
  kind: 'tagged',
  packages: [pkg],
  builds: [{ name: pkg, version: '99.0', release: `1.fc${release}`, nvr: `${pkg}-99.0-1.fc${release}` }],
  tag: `f${release}-updates`,
  release: `f${release}`,
  time,
  severity: 'info',
});

const RECORDED = '2026-11-01T10:00:00.000Z';
const recordedBatch = (time: string) => [
  tagged('m-1', 'cloud-init', '43', time),
  tagged('m-2', 'shim', '43', time),
  tagged('m-3', 'cloud-init', '42', time),
];

beforeAll(() => {
  writeFileSync(file('recorded.json'), JSON.stringify(recordedBatch(RECORDED)));
  writeFileSync(file('first.json'), JSON.stringify([tagged('m-1', 'cloud-init', '43', RECORDED)]));
  writeFileSync(file('again.json'), JSON.stringify(tagged('m-1', 'cloud-init', '43', RECORDED)));
  // A real fedmsg-era record without msg_id, and the same record in a datagrepper page.
  const pungi = readFileSync(fixturePath('fedora-messages/pungi.compose.status.change/1.json'), 'utf8');
  writeFileSync(file('pungi.json'), pungi);
  writeFileSync(file('page.json'), `{"raw_messages": [${pungi}]}`);
});

interface Skip {
  component?: string;
  messageId?: string;
  reason?: string;
  detail?: string;
  input?: string;
  duplicateOf?: string;
}
interface PlanOutput {
  planned: { component: string }[];
  skipped: Skip[];
}

async function plan(...args: string[]): Promise<PlanOutput> {
  const run = runCli(['plan', '--config', tree, ...args]);
  const code = await run.exited;
  expect(code, run.output()).toBe(0);
  return JSON.parse(run.stdout()) as PlanOutput;
}

const reasons = (result: PlanOutput) => result.skipped.map((s) => [s.component, s.reason]);

test('events captured a moment ago are planned at once: no debounce unless asked', async () => {
  writeFileSync(file('just-now.json'), JSON.stringify(recordedBatch(new Date().toISOString())));
  const result = await plan(file('just-now.json'));
  expect(result.planned.map((p) => p.component)).toEqual(['cloud-init']);
  expect(reasons(result)).toEqual(
    expect.arrayContaining([
      ['cloud-init', 'release-mismatch'],
      ['shim', 'pinned'],
    ]),
  );
  expect(result.skipped.some((s) => s.reason === 'settling')).toBe(false);
}, 60_000);

test('--debounce simulates the live pass at --now; pins and relevance are answered inside the window', async () => {
  const inside = await plan('--debounce', '60', '--now', '2026-11-01T10:00:30Z', file('recorded.json'));
  expect(inside.planned).toEqual([]);
  expect(reasons(inside)).toEqual(
    expect.arrayContaining([
      ['cloud-init', 'release-mismatch'],
      ['shim', 'pinned'],
      ['cloud-init', 'settling'],
    ]),
  );
  const after = await plan('--debounce', '60', '--now', '2026-11-01T10:01:01Z', file('recorded.json'));
  expect(after.planned.map((p) => p.component)).toEqual(['cloud-init']);
}, 60_000);

test('a message read twice is a duplicate of its first copy, both named by file and index', async () => {
  const result = await plan(file('first.json'), file('again.json'));
  expect(result.planned.map((p) => p.component)).toEqual(['cloud-init']);
  expect(result.skipped.filter((s) => s.reason === 'duplicate')).toEqual([
    {
      messageId: 'm-1',
      reason: 'duplicate',
      detail: 'repeats message m-1, whose first copy in this batch is the one decided',
      input: `${file('again.json')}#0`,
      duplicateOf: `${file('first.json')}#0`,
    },
  ]);
}, 60_000);

test('with --state, a message planned before is "already planned", not a repeat', async () => {
  writeFileSync(file('state.json'), JSON.stringify({ plannedMessageIds: ['m-1'] }));
  const result = await plan('--state', file('state.json'), file('first.json'));
  expect(result.skipped).toEqual([
    {
      messageId: 'm-1',
      reason: 'duplicate',
      detail: 'already planned by an earlier plan',
      input: `${file('first.json')}#0`,
    },
  ]);
}, 60_000);

test('a fedmsg-era record without msg_id, replayed from a datagrepper page, is a duplicate by its derived id', async () => {
  const result = await plan(file('pungi.json'), file('page.json'));
  const duplicates = result.skipped.filter((s) => s.reason === 'duplicate');
  expect(duplicates).toHaveLength(1);
  expect(duplicates[0]?.messageId).toMatch(/^derived-[0-9a-f]{64}$/);
  expect(duplicates[0]).toMatchObject({
    input: `${file('page.json')}#0`,
    duplicateOf: `${file('pungi.json')}#0`,
  });
}, 60_000);

test('a negative --debounce or a --now that is no date-time is refused', async () => {
  for (const args of [
    ['--debounce', '-5'],
    ['--now', 'yesterday'],
  ]) {
    const run = runCli(['plan', '--config', tree, ...args, file('recorded.json')]);
    expect(await run.exited).not.toBe(0);
    expect(run.output()).toMatch(/expected (a number of seconds ≥ 0|an ISO 8601 date-time)/);
  }
}, 60_000);
