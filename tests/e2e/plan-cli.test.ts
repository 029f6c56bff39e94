import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { runCli } from '../../testing/pipeline/cli-process';
import { useTempDir } from '../../testing/temp-dirs';
import { fixturePath } from '../../testing/fixtures/fixture-path';

/** `azl-rebuilder plan` over the fixture distro tree with recorded events, as a release engineer replays them. */
const tree = fixturePath('azurelinux');
const dir = useTempDir('azl-plan-');

const tagged = (messageId: string, pkg: string, release: string, version = '99.0') => ({
  messageId,
  topic: 'org.fedoraproject.prod.buildsys.tag',
  kind: 'tagged',
  packages: [pkg],
  builds: [{ name: pkg, version, release: `1.fc${release}`, nvr: `${pkg}-${version}-1.fc${release}` }],
  tag: `f${release}-updates`,
  release: `f${release}`,
  time: '2026-11-01T10:00:00.000Z',
  severity: 'info',
});

beforeAll(() => {
  writeFileSync(
    join(dir, 'events.json'),
    JSON.stringify([
      tagged('m-1', 'cloud-init', '43'),
      tagged('m-2', 'shim', '43'),
      tagged('m-3', 'cloud-init', '42'),
    ]),
  );
  writeFileSync(join(dir, 'state.json'), JSON.stringify({ plannedMessageIds: ['m-1'] }));
});

async function plan(...args: string[]) {
  const run = runCli(['plan', '--config', tree, ...args]);
  const code = await run.exited;
  const output = run.output();
  return {
    code,
    plan: JSON.parse(output.slice(output.indexOf('{'))) as Record<
      string,
      { component?: string; reason?: string }[]
    >,
  };
}

test('plans the direct component, reports the pinned one and the release mismatch, with reasons', async () => {
  const { code, plan: result } = await plan(join(dir, 'events.json'));
  expect(code).toBe(0);
  expect(result.planned?.map((p) => p.component)).toEqual(['cloud-init']);
  expect(result.skipped?.map((s) => [s.component, s.reason])).toEqual(
    expect.arrayContaining([
      ['cloud-init', 'release-mismatch'],
      ['shim', 'pinned'],
    ]),
  );
}, 60_000);

test('with --state, a message planned before is not planned again', async () => {
  const { code, plan: result } = await plan('--state', join(dir, 'state.json'), join(dir, 'events.json'));
  expect(code).toBe(0);
  expect(result.planned).toEqual([]);
}, 60_000);

test('an unknown distro folder is an error with exit code 1', async () => {
  const run = runCli(['plan', '--config', join(dir, 'nowhere'), join(dir, 'events.json')]);
  expect(await run.exited).toBe(1);
  expect(run.output()).toContain('distro.');
}, 60_000);
