import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { Endpoints } from '../../hosts/local/runtime/endpoints-file';
import { writeFixtureDistro } from '../../infra/local/fedora-fixture';
import { BlobStore } from '../../infra/storage';
import { reposContainer } from '../../shared/storage';
import { tagMessage } from '../../testing/fedora/wire-messages';
import { useStarted } from '../../testing/lifecycle';
import type { CliRun } from '../../testing/pipeline/cli-process';
import {
  ephemeralPorts,
  processesMentioning,
  runCli,
  STOP_TIMEOUT_MS,
  stopWithin,
  waitForEndpoints,
} from '../../testing/pipeline/cli-process';
import { PipelineClient } from '../../testing/pipeline/pipeline-client';
import { repoquery } from '../../testing/rpm/dnf';

/**
 * `azl-rebuilder start --no-demo --config <tree>` with the synthetic builder: the local pipeline for a distro
 * tree of one's own, not following Fedora. The fixture tree's dist-git and lookaside point nowhere
 * (`.invalid`), so nothing may fetch sources; a replayed Koji tag message is planned, built and published.
 */
const SYNTHETIC = {
  AZL_BUILDER: 'synthetic',
  AZL_ALLOW_SYNTHETIC_BUILDER: '1',
  AZL_SYNTHETIC_BUILD_MS: '10',
  AZL_PLANNER_DEBOUNCE_SECONDS: '0',
  AZL_PLANNER_QUIET_SECONDS: '0',
};

interface Started {
  readonly run: CliRun;
  readonly root: string;
  readonly dataDir: string;
  readonly endpoints: Endpoints;
}

const pipeline = useStarted(
  'the pipeline for the fixture tree',
  async (): Promise<Started> => {
    const root = mkdtempSync(join(tmpdir(), 'azl-start-config-'));
    const tree = writeFixtureDistro(join(root, 'distro'), {
      distGitBaseUri: 'https://dist-git.invalid/rpms/$pkg.git',
      lookasideBaseUri: 'https://lookaside.invalid/$pkg/$filename/$hashtype/$hash/$filename',
    });
    const dataDir = join(root, 'data');
    const run = runCli(
      ['start', '--no-demo', '--config', tree, '--data-dir', dataDir, ...ephemeralPorts],
      SYNTHETIC,
    );
    return { run, root, dataDir, endpoints: await waitForEndpoints(run, dataDir, 90_000) };
  },
  async ({ run, root, dataDir }) => {
    const stopped = run.child.exitCode !== null || (await stopWithin(run, STOP_TIMEOUT_MS));
    for (const pid of processesMentioning(dataDir)) process.kill(pid, 'SIGKILL');
    rmSync(root, { recursive: true, force: true });
    if (!stopped) throw new Error(`azl-rebuilder did not stop:\n${run.output()}`);
  },
  { startMs: 100_000, stopMs: STOP_TIMEOUT_MS + 10_000 },
);

interface BuildPage {
  readonly items: readonly { component: string; state: string; buildId: string }[];
}

test('a replayed message about a component of the tree is planned, built (synthetic) and published', async () => {
  const { run, root, dataDir, endpoints } = pipeline();
  const message = join(root, 'azl-greeter-tag.json');
  writeFileSync(message, JSON.stringify(tagMessage('azl-greeter', '2.1', '22.fc43')));
  const replay = runCli(['replay', '--local', '--data-dir', dataDir, message]);
  expect(await replay.exited, replay.output()).toBe(0);
  expect(replay.output()).toMatch(/"outcome":"accepted"/);

  const client = new PipelineClient(endpoints);
  const { revision } = await client.waitForRevision('base/x86_64', 0, 60_000, 100).catch((error: unknown) => {
    throw new Error(`${String(error)}\n${run.output().slice(-4000)}`);
  });
  expect(revision).toBe(1);

  // Built once, by the synthetic builder; nothing else of the tree was built (no catch-up, no demo).
  const builds = await client.status<BuildPage>('/builds');
  expect(builds.items.map((b) => [b.component, b.state])).toEqual([['azl-greeter', 'succeeded']]);
  const record = await client.status<{ builder?: string; nevras?: string[] }>(
    `/builds/${encodeURIComponent(builds.items[0]!.buildId)}`,
  );
  expect(record.builder).toBe('synthetic');

  // What dnf sees in the published repository is the build's package.
  const binary = record.nevras?.find((n) => n.endsWith('.x86_64')) ?? '';
  expect(binary).toMatch(/^azl-greeter-1\.0-\d{17}\.azl4\.x86_64$/);
  const blobs = new BlobStore({ connectionString: endpoints.storageConnectionString });
  expect(repoquery(`${blobs.url(reposContainer.name, 'base/x86_64')}/`)).toEqual([
    binary.replace('azl-greeter-', 'azl-greeter-0:'),
  ]);
}, 120_000);

test('--config without a distro tree in it is refused before anything starts (exit 1)', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'azl-start-no-tree-'));
  try {
    const run = runCli(['start', '--no-demo', '--config', empty, '--data-dir', join(empty, 'data')]);
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/start\.invalid/);
    expect(run.output()).toMatch(/has none/);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
}, 30_000);
