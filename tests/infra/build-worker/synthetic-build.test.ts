import { InvocationContext } from '@azure/functions';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildFunction } from '../../../functions/build';
import { TableBuildRecords } from '../../../infra/build-worker/table-build-records';
import { composePublisher } from '../../../infra/publishing';
import { writeFixtureDistro } from '../../../infra/local/fedora-fixture';
import type { BuildRequestInput } from '../../../shared/build';
import { publishRequestSchema } from '../../../shared/publishing';
import { readRpmPackage } from '../../../shared/rpm';
import { artifactsContainer } from '../../../shared/storage';
import { useAzurite } from '../../../testing/azurite';
import { drainSessions } from '../../../testing/broker/local-broker';
import { useComposedServices } from '../../../testing/composition';
import { repoquery } from '../../../testing/rpm/dnf';
import { useTempDir } from '../../../testing/temp-dirs';

/**
 * The build function with `AZL_BUILDER=synthetic` over the real adapters (Azurite, the local broker): the
 * fixture distro tree, whose dist-git and lookaside point nowhere (`.invalid`), so a build that fetched
 * sources would fail. Records, artifacts, publish requests, events and the publisher are the real ones.
 */
const azurite = useAzurite();
const root = useTempDir('azl-synthetic-build-');
const distro = () =>
  writeFixtureDistro(join(root, 'distro'), {
    distGitBaseUri: 'https://dist-git.invalid/rpms/$pkg.git',
    lookasideBaseUri: 'https://lookaside.invalid/$pkg/$filename/$hashtype/$hash/$filename',
  });
const syntheticSettings = (failureRate: string) => () => ({
  AZL_FEDORA_CATCH_UP: 'off',
  AZL_DISTRO_DIR: distro(),
  AZL_BUILDER: 'synthetic',
  AZL_ALLOW_SYNTHETIC_BUILDER: '1',
  AZL_SYNTHETIC_BUILD_MS: '5',
  AZL_SYNTHETIC_FAILURE_RATE: failureRate,
});

const run = Date.now().toString(16).padStart(16, '0');
const fingerprint = (n: number) => `sha256:${String(n).padStart(16, '0')}${run}${'0'.repeat(32)}`;
const context = () =>
  new InvocationContext({ invocationId: run, functionName: 'build', logHandler: () => undefined });
// Unique to the run: the build's artifacts and records live in the run's shared storage.
const REQUESTED_AT = new Date(Date.UTC(2026, 11, 1) + (Date.now() % 86_400_000)).toISOString();
const RELEASE = REQUESTED_AT.replace(/\D/g, '');
const request = (component: string, n: number): BuildRequestInput => ({
  planId: `plan-${run}`,
  component,
  fingerprint: fingerprint(n),
  wave: 0,
  priority: 300,
  reasons: [],
  requestedAt: REQUESTED_AT,
});
const records = () => new TableBuildRecords(azurite.tables);

describe('a build worker with the synthetic builder', () => {
  const app = useComposedServices(syntheticSettings('0'));
  const handler = () => buildFunction(() => Promise.resolve(app.services)).handler;

  test('records the build, stores its RPMs as artifacts, asks to publish them, and they publish', async () => {
    await handler()(request('azl-hello-tool', 1), context());

    const record = await records().get('azl-hello-tool', fingerprint(1));
    expect(record?.state, JSON.stringify(record?.history)).toBe('succeeded');
    expect(record?.builder).toBe('synthetic');
    expect(record?.history.map((h) => h.state)).toEqual(['queued', 'preparing', 'building', 'succeeded']);
    expect(record?.nevras).toEqual([
      `azl-hello-tool-1.0-${RELEASE}.azl4.src`,
      `azl-hello-tool-1.0-${RELEASE}.azl4.x86_64`,
    ]);
    expect(record?.repositories).toEqual(['base/srpms', 'base/x86_64']);
    expect(record?.artifacts?.map((a) => a.fileName).sort()).toEqual([
      `azl-hello-tool-1.0-${RELEASE}.azl4.src.rpm`,
      `azl-hello-tool-1.0-${RELEASE}.azl4.x86_64.rpm`,
      'build.log',
    ]);

    // The stored binary RPM: the project's reader and rpm read it.
    const rpm = record?.artifacts?.find((a) => a.fileName.endsWith('.x86_64.rpm'));
    const stored = await azurite.blobs.get(artifactsContainer.name, rpm!.blobPath);
    expect(stored?.metadata).toMatchObject({ sha256: rpm!.sha256, size: String(rpm!.size) });
    expect(readRpmPackage(stored!.bytes).sourceRpm).toBe(`azl-hello-tool-1.0-${RELEASE}.azl4.src.rpm`);
    const file = join(root, rpm!.fileName);
    writeFileSync(file, stored!.bytes);
    expect(execFileSync('rpm', ['-qp', file], { encoding: 'utf8' }).trim()).toBe(
      `azl-hello-tool-1.0-${RELEASE}.azl4.x86_64`,
    );

    // One publish request per repository; the real publisher takes them, and dnf lists the package.
    const publish = await drainSessions(app.client, 'publish');
    const bodies = publish.map((m) => publishRequestSchema.parse(m.body));
    expect(bodies.map((b) => b.repository).sort()).toEqual(['base/srpms', 'base/x86_64']);
    const binary = bodies.find((b) => b.repository === 'base/x86_64')!;
    expect(binary.packages.map((p) => p.nevra)).toEqual([`azl-hello-tool-1.0-${RELEASE}.azl4.x86_64`]);
    // The real publisher, on repositories of this test's own (the run's shared ones get other tests' builds).
    const { publisher } = composePublisher(
      { blobs: azurite.blobs, tables: azurite.tables },
      {
        containers: {
          repositories: azurite.name('repos'),
          state: azurite.name('state'),
          artifacts: artifactsContainer.name,
        },
        pendingTable: azurite.name('pq'),
      },
    );
    const outcome = await publisher.publish(binary);
    expect(outcome).toMatchObject({ changed: true, added: [expect.stringMatching(/^azl-hello-tool-1\.0-/)] });
    expect(repoquery(outcome.baseUrl)).toEqual([`azl-hello-tool-0:1.0-${RELEASE}.azl4.x86_64`]);

    // The build's events went out on the `events` topic.
    const receiver = app.client.createReceiver('events', 'webhooks', { receiveMode: 'receiveAndDelete' });
    const events = await receiver.receiveMessages(50, { maxWaitTimeInMs: 2_000 });
    await receiver.close();
    const types = events
      .map((e) => e.body as { type?: string; data?: { component?: string } })
      .filter((e) => e.data?.component === 'azl-hello-tool')
      .map((e) => e.type);
    expect(types).toEqual([
      'com.azurelinux.rebuilder.build.started',
      'com.azurelinux.rebuilder.build.succeeded',
    ]);

    // A redelivery of the same message builds and sends nothing again.
    await handler()(request('azl-hello-tool', 1), context());
    expect(await drainSessions(app.client, 'publish')).toEqual([]);
  }, 60_000);

  test('a component the tree does not have fails as the real preparer fails it, without a build', async () => {
    await handler()(request('not-in-the-tree', 2), context());
    const record = await records().get('not-in-the-tree', fingerprint(2));
    expect(record?.state).toBe('failed');
    expect(record?.error?.code).toBe('distro.unknown-component');
    expect(record?.history.map((h) => h.state)).not.toContain('building');
  }, 60_000);
});

describe('a build worker with the synthetic builder failing every build', () => {
  const app = useComposedServices(syntheticSettings('1'));
  const handler = () => buildFunction(() => Promise.resolve(app.services)).handler;

  test('records the failure once, for good, and asks to publish nothing', async () => {
    await handler()(request('azl-hello-lib', 3), context());
    const record = await records().get('azl-hello-lib', fingerprint(3));
    expect(record?.state).toBe('failed');
    expect(record?.error).toMatchObject({ code: 'build.synthetic-failure', retryable: false });
    expect(record?.logExcerpt).toContain('failed on purpose');
    expect(await drainSessions(app.client, 'publish')).toEqual([]);
  }, 60_000);
});
