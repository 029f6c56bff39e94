import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { TableBuildRecords } from '../../../infra/build-worker/table-build-records';
import { BlobQuarantine } from '../../../infra/ingest/blob-quarantine';
import { TableIngestLedger } from '../../../infra/ingest/table-ingest-ledger';
import { TablePlannerState, TablePlanStore } from '../../../infra/planning-pass';
import { BlobRepositoryStore } from '../../../infra/publishing/blob-repository-store';
import { createStatusReaders } from '../../../infra/status';
import { oneAccount } from '../../../infra/storage';
import type { Page, PageRequest, StatusReaders } from '../../../infra/status';
import { TableMessageFailures } from '../../../infra/table-message-failures';
import type { BuildRecord } from '../../../shared/build-worker';
import type { UpstreamEvent } from '../../../shared/fedora/upstream-event';
import type { PlanRecord } from '../../../shared/planning-pass';
import { emptyGeneration } from '../../../shared/publishing';
import { useAzurite } from '../../../testing/azurite';
import { fixturePath } from '../../../testing/fixtures/fixture-path';

/** The tables are shared with other tests: everything here is named with this run's prefix. */
const run = `st${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const DISTRO_DIR = fixturePath('azurelinux');

const azurite = useAzurite();
const { tables, blobs } = azurite;
let readers: StatusReaders;
beforeAll(() => {
  readers = createStatusReaders(
    { tables, blobs, blobTarget: { connectionString: azurite.connectionString } },
    DISTRO_DIR,
  );
});

/** Every page of a list, following the API's continuation tokens. */
async function readAll<T>(list: (page: PageRequest) => Promise<Page<T>>, limit: number): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  do {
    const page = await list({ limit, ...(token ? { continuationToken: token } : {}) });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    all.push(...page.items);
    token = page.continuationToken;
  } while (token);
  return all;
}

/** 64 hex digits whose first 16 (the build id's) differ for every `n`. */
const hex = (n: number): string => `${n.toString(16).padStart(16, '0')}${'a'.repeat(48)}`;

function buildRecord(component: string, n: number, state: BuildRecord['state'], planId: string): BuildRecord {
  const requestedAt = new Date(Date.UTC(2026, 11, 1, 0, n)).toISOString();
  return {
    buildId: `${component}@${hex(n).slice(0, 16)}`,
    component,
    fingerprint: `sha256:${hex(n)}`,
    planId,
    wave: 0,
    requestedAt,
    state,
    history: [
      { state: 'queued', at: requestedAt },
      { state, at: requestedAt, detail: 'test' },
    ],
    attempts: 1,
    ...(state === 'failed'
      ? {
          logExcerpt: 'error: Bad exit status',
          error: { code: 'build.failed', message: 'rpmbuild failed', retryable: false },
        }
      : {}),
  };
}

function planRecord(planId: string, components: readonly string[]): PlanRecord {
  return {
    planId,
    createdAt: '2026-12-01T00:00:00.000Z',
    messageIds: [`${run}-m1`],
    modelVersion: 'model-1',
    indexVersion: 'index-1',
    planned: components.map((component, i) => ({
      component,
      wave: i % 2,
      priority: 3,
      fingerprint: `sha256:${hex(i)}`,
      reasons: [
        {
          messageId: `${run}-m1`,
          kind: 'direct',
          package: component,
          component,
          nvr: `${component}-1-1.fc43`,
        },
      ],
    })),
    skipped: [],
    cycles: [],
  };
}

describe('builds', () => {
  test('lists a component by state page by page, and finds one build by its id', async () => {
    const component = `${run}-zlib`;
    const records = new TableBuildRecords(tables);
    for (let n = 0; n < 7; n++)
      await records.put(buildRecord(component, n, n % 2 ? 'succeeded' : 'failed', 'p'));
    const all = await readAll((page) => readers.builds({ component }, page), 3);
    expect(all.map((b) => b.buildId).sort()).toEqual(
      Array.from({ length: 7 }, (_, n) => `${component}@${hex(n).slice(0, 16)}`).sort(),
    );
    const failed = await readAll((page) => readers.builds({ component, state: 'failed' }, page), 200);
    expect(failed.map((b) => b.state)).toEqual(['failed', 'failed', 'failed', 'failed']);

    const wanted = buildRecord(component, 4, 'failed', 'p');
    const found = await readers.build(wanted.buildId);
    expect(found).toEqual(wanted);
    expect(found?.logExcerpt).toBe('error: Bad exit status');
    expect(await readers.build(`${component}@${'f'.repeat(16)}`)).toBeUndefined();
    expect(await readers.build(`${component}@not-hex`)).toBeUndefined();
  });

  test('refuses a token from another list', async () => {
    const component = `${run}-tok`;
    const records = new TableBuildRecords(tables);
    for (let n = 0; n < 3; n++) await records.put(buildRecord(component, n, 'succeeded', 'p'));
    const page = await readers.builds({ component }, { limit: 1 });
    expect(page.continuationToken).toBeDefined();
    await expect(
      readers.failures(undefined, { limit: 1, continuationToken: page.continuationToken as string }),
    ).rejects.toMatchObject({ code: 'status.invalid-token' });
    await expect(
      readers.builds({ component }, { limit: 1, continuationToken: 'garbage' }),
    ).rejects.toMatchObject({
      code: 'status.invalid-token',
    });
  });
});

describe('plans', () => {
  test('lists plans and reads one with its items, reasons and waves, paged', async () => {
    const planId = `plan-${run}`;
    const components = Array.from({ length: 5 }, (_, i) => `${run}-c${i}`);
    await new TablePlanStore(tables, blobs).save(planRecord(planId, components));
    const listed = await readAll((page) => readers.plans(page), 200);
    expect(listed.find((p) => p.planId === planId)).toEqual({
      planId,
      createdAt: '2026-12-01T00:00:00.000Z',
      messageCount: 1,
      plannedCount: 5,
      skippedCount: 0,
      cycleCount: 0,
      waveCount: 2,
    });
    const first = await readers.plan(planId, { limit: 2 });
    expect(first?.items.items.length).toBe(2);
    const items = await readAll(
      async (page) => (await readers.plan(planId, page))?.items ?? { items: [] },
      2,
    );
    expect(items.map((i) => [i.component, i.wave])).toEqual(components.map((c, i) => [c, i % 2]));
    expect(items[0]?.reasons).toEqual([
      {
        messageId: `${run}-m1`,
        kind: 'direct',
        package: components[0],
        component: components[0],
        nvr: `${components[0]}-1-1.fc43`,
      },
    ]);
    expect(await readers.plan(`plan-${run}-missing`, { limit: 10 })).toBeUndefined();
  });
});

describe('components', () => {
  test('joins the distro config, the planner state, the builds and the reasons of the last plan item', async () => {
    const name = 'automake';
    const planId = `plan-${run}-automake`;
    await new TablePlanStore(tables, blobs).save(planRecord(planId, [name]));
    const older = {
      ...buildRecord(name, 9000 + 1, 'succeeded', 'plan-older'),
      requestedAt: '2000-01-01T00:00:00.000Z',
    };
    const newest = {
      ...buildRecord(name, 9000 + 2, 'succeeded', planId),
      requestedAt: '2999-01-01T00:00:00.000Z',
    };
    const records = new TableBuildRecords(tables);
    await records.put(older);
    await records.put(newest);
    const state = new TablePlannerState(tables);
    const lock = { nvr: 'automake-1.17-1.fc43', messageId: `${run}-m1` };
    await state.save(
      { [name]: lock },
      [],
      [{ component: name, fingerprint: newest.fingerprint, requestedAt: newest.requestedAt }],
    );
    await state.record(name, newest.fingerprint);

    const status = await readers.component(name);
    expect(status?.effective?.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(status?.effective?.file).toContain('automake');
    expect(status?.lock).toEqual(lock);
    expect(status?.lastSuccessfulFingerprint).toBe(newest.fingerprint);
    expect(status?.latestRequest).toEqual({
      fingerprint: newest.fingerprint,
      requestedAt: newest.requestedAt,
    });
    expect(status?.recentBuilds[0]?.buildId).toBe(newest.buildId);
    expect(status?.lastRebuild).toEqual({
      buildId: newest.buildId,
      planId,
      reasons: planRecord(planId, [name]).planned[0]?.reasons,
    });
  });

  test('reports a distro tree that does not load beside the state it still has', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'status-tree-'));
    try {
      writeFileSync(join(dir, 'azldev.toml'), 'this = = is not toml\n');
      const name = `${run}-broken`;
      await new TablePlannerState(tables).record(name, `sha256:${hex(77)}`);
      const status = await createStatusReaders(
        { tables, blobs, blobTarget: { connectionString: azurite.connectionString } },
        dir,
      ).component(name);
      expect(status?.effective).toBeUndefined();
      expect(status?.effectiveError?.code).toMatch(/^distro\./);
      expect(status?.lastSuccessfulFingerprint).toBe(`sha256:${hex(77)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('is unknown when neither the tree nor any table knows it', async () => {
    expect(await readers.component(`${run}-ghost`)).toBeUndefined();
  });
});

describe('failures and events', () => {
  test('lists the failures of one entity', async () => {
    const entity = `${run}-build`;
    const log = new TableMessageFailures(tables);
    for (let i = 0; i < 3; i++) {
      await log.record({
        entity,
        messageId: `m-${i}`,
        code: 'build.crashed',
        message: `attempt ${i}`,
        retryable: false,
        context: { component: 'zlib', attempt: i },
        deliveryCount: 10,
        at: '2026-12-01T00:00:00.000Z',
      });
    }
    const all = await readAll((page) => readers.failures(entity, page), 2);
    expect(all.map((f) => f.messageId).sort()).toEqual(['m-0', 'm-1', 'm-2']);
    expect(all.find((f) => f.messageId === 'm-1')?.context).toEqual({ component: 'zlib', attempt: 1 });
  });

  test('reads accepted ids from the ledger and rejected messages from quarantine with their reason', async () => {
    const event: UpstreamEvent = {
      messageId: `${run}-accepted`,
      topic: 'org.fedoraproject.prod.buildsys.tag',
      kind: 'tagged',
      packages: ['zlib', 'bash'],
      builds: [],
      tag: 'f43-updates',
      release: 'f43',
      time: '2026-12-01T00:00:00Z',
      severity: 'info',
    };
    const ledger = new TableIngestLedger(tables);
    await ledger.record([event], { source: 'amqp-bridge', receivedAt: '2026-12-01T00:00:01.000Z' });
    await ledger.recordDuplicates([
      {
        messageId: event.messageId,
        topic: event.topic,
        source: 'http',
        receivedAt: '2026-12-01T00:00:02.000Z',
        reason: 'accepted before',
      },
    ]);
    const quarantine = new BlobQuarantine(blobs);
    const kept: string[] = [];
    for (let i = 0; i < 3; i++) {
      kept.push(
        await quarantine.keep({
          receivedAt: '2026-12-01T00:00:00.000Z',
          source: 'http',
          id: `${run}-rejected-${i}`,
          topic: 'org.fedoraproject.prod.buildsys.tag',
          reason: 'body.tag: expected string — got number',
          path: 'body.tag',
          message: { hostile: true },
        }),
      );
    }
    const accepted = await readAll((page) => readers.events('accepted', page), 200);
    expect(accepted.find((e) => e.messageId === event.messageId)).toMatchObject({
      outcome: 'accepted',
      packages: ['zlib', 'bash'],
      kind: 'tagged',
      source: 'amqp-bridge',
    });
    const duplicates = await readAll((page) => readers.events('duplicate', page), 200);
    expect(duplicates.filter((e) => e.messageId === event.messageId)).toEqual([
      {
        outcome: 'duplicate',
        messageId: event.messageId,
        topic: event.topic,
        source: 'http',
        receivedAt: '2026-12-01T00:00:02.000Z',
        reason: 'accepted before',
      },
    ]);
    // Paged by the service's marker: each of ours once, whatever else the shared container holds.
    const rejected = await readAll((page) => readers.events('rejected', page), 2);
    const ours = rejected.filter((e) => kept.includes(e.quarantineBlob ?? ''));
    expect(ours.map((e) => e.messageId).sort()).toEqual([0, 1, 2].map((i) => `${run}-rejected-${i}`));
    expect(ours[0]).toMatchObject({
      outcome: 'rejected',
      reason: 'body.tag: expected string — got number',
      path: 'body.tag',
      source: 'http',
      topic: 'org.fedoraproject.prod.buildsys.tag',
    });
  });
});

describe('repositories', () => {
  test('reports each repository at the revision its repomd.xml commits, with its package count', async () => {
    const store = new BlobRepositoryStore(oneAccount(blobs));
    const repository = `${run}/base/x86_64`;
    const record = (name: string) => ({
      pkgId: hex(name.length),
      checksumType: 'sha256' as const,
      locationHref: `Packages/${name[0]}/${name}-1-1.x86_64.rpm`,
      name,
      arch: 'x86_64',
      epoch: 0,
      version: '1',
      release: '1',
      fileTime: 0,
      fileSize: 1,
      primaryXml: '',
      filelistsXml: '',
      otherXml: '',
    });
    const first = {
      ...emptyGeneration(repository),
      revision: 1,
      publishedAt: Date.UTC(2026, 11, 1),
      records: [record('a')],
    };
    const firstRef = await store.writeState(first);
    await store.commit(repository, Buffer.from('<repomd/>'), { ifNoneMatch: '*' }, firstRef);
    const head = await store.head(repository);
    const second = {
      ...first,
      revision: 2,
      publishedAt: Date.UTC(2026, 11, 2),
      records: [record('a'), record('bb')],
    };
    const secondRef = await store.writeState(second);
    await store.commit(repository, Buffer.from('<repomd/>'), { ifMatch: head?.etag as string }, secondRef);
    // A generation written but never committed (a lost race) must not count.
    await store.writeState({ ...second, revision: 3, records: [] });
    const uncommitted = `${run}/base/aarch64`;
    await store.writeState({ ...emptyGeneration(uncommitted), revision: 1 });

    // A repomd.xml some other tool wrote (no state in its metadata) is skipped, not a failure of the list.
    const foreign = `${run}/foreign`;
    await store.writeState({ ...emptyGeneration(foreign), revision: 1 });
    await blobs.put('repos', `${foreign}/repodata/repomd.xml`, '<repomd/>');

    const all = await readAll((page) => readers.repositories(page), 1);
    expect(all.some((r) => r.repository === foreign)).toBe(false);
    expect(all.find((r) => r.repository === repository)).toEqual({
      repository,
      revision: 2,
      packageCount: 2,
      lastPublishedAt: '2026-12-02T00:00:00.000Z',
      baseUrl: `${blobs.url('repos')}/${repository}/`,
      repoFileUrl: `${blobs.url('repos')}/${repository}/azl-${repository.replace(/\//g, '-')}.repo`,
      dnf: `dnf --repofrompath=azl,${blobs.url('repos')}/${repository}/ --repo=azl --releasever=4.0 --setopt=reposdir=/dev/null --nogpgcheck --setopt=cachedir=$(mktemp -d) repoquery`,
    });
    expect(all.some((r) => r.repository === uncommitted)).toBe(false);
  });
});
