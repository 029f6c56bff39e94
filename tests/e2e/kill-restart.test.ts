import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { TableBuildRecords } from '../../infra/build-worker/table-build-records';
import { demoMessages } from '../../hosts/local/demo/demo-messages';
import type { Endpoints } from '../../hosts/local/runtime/endpoints-file';
import { BlobRepositoryStore } from '../../infra/publishing';
import { BlobStore, oneAccount, TableStore } from '../../infra/storage';
import type { BuildRecord } from '../../shared/build-worker';
import { repoStateContainer } from '../../shared/storage';
import { readJsonProperty } from '../../shared/storage/json-property';
import { KillablePipeline, statusGet } from '../../testing/pipeline/killable-pipeline';
import { waitFor } from '../../testing/wait-for';
import { readRepository } from '../../testing/rpm/published-repository';
import { dnfRepoquery, firstOutOfOrder, RepositoryReaders } from '../../testing/rpm/repository-readers';
import { useTempDir } from '../../testing/temp-dirs';
import { useSmallFedora } from '../../testing/fixtures/use-small-fedora';

/**
 * The pipeline process dies (SIGKILL) in the middle of a build and in the middle of a publish, and is
 * started again on the same data folder and ports: every event still reaches its published result, each
 * component is built once for its cause, nothing is published twice, and dnf clients reading the
 * repositories the whole time never see a broken or mixed repository.
 *
 * What dies:
 * - during the build, only the node process (the broker and the functions host are in it). Azurite stands
 *   for Azure Storage, which does not die with the pipeline: it keeps serving, and the restart adopts it.
 *   The build's rpmbuild (its own process group) is orphaned and still running in the component's build
 *   folder; the restarted worker stops it before reusing the folder.
 * - during the publish, the node process, and then Azurite too (the whole machine): Azurite is killed once
 *   it has saved what it acknowledged (it keeps its metadata in memory and saves every 5 s, which Azure
 *   Storage, being durable, never needs), and the restart starts a new one on the same data. Only while
 *   Azurite is down can the readers not read, and only reads overlapping that span are excused.
 *
 * A publish is normally too quick to be caught in flight, so AZL_PUBLISH_COMMIT_DELAY_MS (the documented
 * fault-injection setting) holds each publish 1.5 s between writing its metadata and committing repomd.xml.
 */
const X86 = 'base/x86_64';
const SRPMS = 'base/srpms';
const GREETER = ['azl-greeter-0:2.1-2.azl4.x86_64'];
const WITH_LIB = [...GREETER, 'azl-hello-lib-0:1.0-3.azl4.x86_64', 'azl-hello-lib-devel-0:1.0-3.azl4.x86_64'];
const WITH_TOOL = [...WITH_LIB, 'azl-hello-tool-0:1.0-1.azl4.x86_64'].sort();
const SOURCES = [
  ['azl-greeter-0:2.1-2.azl4.src'],
  ['azl-greeter-0:2.1-2.azl4.src', 'azl-hello-lib-0:1.0-3.azl4.src'],
  ['azl-greeter-0:2.1-2.azl4.src', 'azl-hello-lib-0:1.0-3.azl4.src', 'azl-hello-tool-0:1.0-1.azl4.src'],
];

const dataDir = useTempDir('azl-kill-');
// The small Fedora lives outside the pipeline (as the real one does) and stays up across its restarts.
const fedora = useSmallFedora(dataDir);
let pipeline: KillablePipeline;

beforeAll(async () => {
  const pipelineDir = join(dataDir, 'pipeline');
  mkdirSync(join(pipelineDir, 'tmp'), { recursive: true });
  pipeline = await KillablePipeline.create(pipelineDir, {
    AZL_DISTRO_DIR: fedora().distroDir,
    AZL_PLANNER_DEBOUNCE_SECONDS: '0',
    AZL_PLANNER_QUIET_SECONDS: '0',
    AZL_PUBLISH_COMMIT_DELAY_MS: '1500',
    // The repositories coalesce for 1 s, as in the demo, instead of the default 10 s: each revision here is
    // one build's, announced after the previous revision, and the default window only held revisions 2 and 3
    // back by up to 10 s each (the scenario is about crashes, not about coalescing bursts).
    AZL_REPO_COALESCE_SECONDS: '1',
    // Build folders under the test's folder: no other run shares them, and the orphaned rpmbuild of the
    // killed build mentions the folder, so clean-up finds it.
    TMPDIR: join(pipelineDir, 'tmp'),
  });
});

afterAll(async () => {
  await pipeline?.cleanUp();
});

async function announce(endpoints: Endpoints, component: string): Promise<void> {
  const message = demoMessages([component])[0];
  const response = await fetch(`${endpoints.apiBaseUrl}/fedora/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-functions-key': endpoints.functionKey },
    body: JSON.stringify(message),
  });
  const answer = (await response.json()) as { results: { outcome: string }[] };
  expect(answer.results.map((r) => r.outcome)).toEqual(['accepted']);
}

interface RepoStatus {
  repository: string;
  revision: number;
  packageCount: number;
}
const revisions = async (endpoints: Endpoints): Promise<Record<string, number>> => {
  const { items } = await statusGet<{ items: RepoStatus[] }>(endpoints, 'repos');
  return Object.fromEntries(items.map((r) => [r.repository, r.revision]));
};
const reached = (endpoints: Endpoints, revision: number) => async () => {
  const now = await revisions(endpoints);
  return (now[X86] ?? 0) >= revision && (now[SRPMS] ?? 0) >= revision;
};

test('killed during a build and during a publish, restarted: every event published once, readers never fail', async () => {
  const context = () => pipeline.output().slice(-6_000);
  let endpoints = await pipeline.start();
  const storage = endpoints.storageConnectionString;
  const store = new BlobRepositoryStore(oneAccount(new BlobStore({ connectionString: storage })));
  const urls = { [X86]: store.baseUrl(X86), [SRPMS]: store.baseUrl(SRPMS) };

  // Revision 1 of both repositories, then readers on them for the rest of the test.
  await announce(endpoints, 'azl-greeter');
  await waitFor('revision 1', reached(endpoints, 1), { timeoutMs: 90_000, context });
  const readers = new RepositoryReaders([urls[X86], urls[SRPMS]]);

  // 1. SIGKILL while azl-hello-lib's rpmbuild runs.
  await announce(endpoints, 'azl-hello-lib');
  await waitFor('a running rpmbuild', () => pipeline.processes('rpmbuild').length > 0, {
    pollMs: 25,
    context,
  });
  // The worker writes the building record while rpmbuild starts, without waiting for it: kill once both are so.
  await waitFor(
    'the hello-lib build record at building',
    async () =>
      (await buildRecords(storage)).some((r) => r.component === 'azl-hello-lib' && r.state === 'building'),
    { pollMs: 25, context },
  );
  expect(pipeline.processes('rpmbuild').length).toBeGreaterThan(0);
  await pipeline.kill();
  const killedAt = Date.now();
  const records = new TableBuildRecords(new TableStore({ connectionString: storage }));
  const interrupted = await waitFor('the hello-lib build record', async () => {
    const all = await buildRecords(storage);
    return all.find((r) => r.component === 'azl-hello-lib');
  });
  expect(interrupted.state).toBe('building'); // the kill really came mid-build
  expect(pipeline.azuritePid()).toBeDefined();

  endpoints = await pipeline.start();
  const restartedAt = Date.now();
  expect(pipeline.output()).toContain('azurite adopted');
  await waitFor('revision 2', reached(endpoints, 2), { timeoutMs: 90_000, context });

  // 2. SIGKILL while the azl-hello-tool publish is between its metadata and its commit.
  await announce(endpoints, 'azl-hello-tool');
  const stateBlobs = new BlobStore({ connectionString: storage });
  await waitFor(
    'a publish of revision 3 in progress',
    async () => {
      for await (const blob of stateBlobs.list(repoStateContainer.name, `${X86}/generation-3-`))
        return blob.name;
      return undefined;
    },
    { pollMs: 50, timeoutMs: 90_000, context },
  );
  await pipeline.kill();
  // The kill really came before the commit: the repository still serves revision 2.
  expect((await readRepository(urls[X86])).revision).toBe('2');
  const azurite = pipeline.azuritePid();
  await new Promise((resolve) => setTimeout(resolve, 7_000)); // Azurite saves its metadata every 5 s
  const storageBack = readers.outage();
  if (azurite) process.kill(-azurite, 'SIGKILL');
  await waitFor('Azurite gone', () => azurite !== undefined && !alive(azurite), { timeoutMs: 10_000 });

  endpoints = await pipeline.start();
  storageBack();
  expect(pipeline.azuritePid()).not.toBe(azurite);
  await waitFor('revision 3', reached(endpoints, 3), { timeoutMs: 90_000, context });

  // The readers: no failure outside the storage outage, and only whole revisions, in order.
  const { reads, failures, duringOutage } = await readers.stop();
  expect(failures, JSON.stringify(failures.slice(0, 3))).toEqual([]);
  // Both readers read right through the first crash and restart (the loops never pause while they succeed).
  for (const url of [urls[X86], urls[SRPMS]]) {
    const across = reads.filter(
      (r) => r.baseUrl === url && r.startedAt <= restartedAt && r.endedAt >= killedAt,
    );
    expect(across.length, url).toBeGreaterThan(0);
  }
  const progression = new Map([
    [urls[X86], [GREETER, WITH_LIB.sort(), WITH_TOOL]],
    [urls[SRPMS], SOURCES],
  ]);
  expect(firstOutOfOrder([...reads, ...duringOutage], progression)).toBeUndefined();

  // The repositories: exactly the expected packages, through the real dnf.
  const cache = mkdtempSync(join(dataDir, 'dnf-'));
  expect(await dnfRepoquery(urls[X86], cache)).toEqual(WITH_TOOL);
  expect(await dnfRepoquery(urls[SRPMS], cache, '--arch=src')).toEqual(SOURCES[2]);

  // The records: one plan per event, one successful build per component, one revision per build.
  const plans = await statusGet<{ items: { planId: string; plannedCount: number }[] }>(endpoints, 'plans');
  expect(plans.items.map((p) => p.plannedCount)).toEqual([1, 1, 1]);
  const builds = await statusGet<{ items: { buildId: string; component: string; state: string }[] }>(
    endpoints,
    'builds',
  );
  expect(builds.items.map((b) => [b.component, b.state]).sort()).toEqual([
    ['azl-greeter', 'succeeded'],
    ['azl-hello-lib', 'succeeded'],
    ['azl-hello-tool', 'succeeded'],
  ]);
  const lib = await records.get('azl-hello-lib', interrupted.fingerprint);
  // The killed attempt is in its history: it went to building twice, and succeeded once.
  expect(lib?.history.filter((t) => t.state === 'building')).toHaveLength(2);
  expect(lib?.history.filter((t) => t.state === 'succeeded')).toHaveLength(1);
  const repos = await statusGet<{ items: RepoStatus[] }>(endpoints, 'repos');
  expect(repos.items.map((r) => [r.repository, r.revision, r.packageCount])).toEqual([
    [SRPMS, 3, 3],
    [X86, 3, 4],
  ]);
  // The orphaned rpmbuild of the killed build did not survive the restart's build.
  expect(pipeline.processes('rpmbuild')).toEqual([]);

  expect(await pipeline.stop()).toBe(0);
  expect(pipeline.leftovers()).toEqual([]);
}, 240_000);

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Every build record, straight from storage (the functions host is down while this is read). */
async function buildRecords(connectionString: string): Promise<BuildRecord[]> {
  const tables = new TableStore({ connectionString });
  const page = await tables.query<Record<string, unknown>>('builds', {});
  return page.items.map((row) => readJsonProperty(row.entity, 'record') as BuildRecord);
}
