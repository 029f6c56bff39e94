import { InvocationContext } from '@azure/functions';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { buildFunction } from '../../../functions/build';
import { publishFunction } from '../../../functions/publish';
import { TableBuildRecords } from '../../../infra/build-worker/table-build-records';
import type { BuildRequestInput } from '../../../shared/build';
import { publishRequestSchema } from '../../../shared/publishing';
import { artifactsContainer } from '../../../shared/storage';
import { useAzurite } from '../../../testing/azurite';
import { useTempDir } from '../../../testing/temp-dirs';
import { useSmallFedora } from '../../../testing/fixtures/use-small-fedora';
import { useComposedServices } from '../../../testing/composition';
import { drainSessions } from '../../../testing/broker/local-broker';

/**
 * The build function as the host runs it, over the real adapters: the project's small Fedora (local dist-git
 * and lookaside), the fixture distro tree with its overlays, rpmbuild, Azurite and the local broker.
 */
const azurite = useAzurite();
const root = useTempDir('azl-build-fn-');
const fedora = useSmallFedora(root);
const app = useComposedServices(() => ({ AZL_FEDORA_CATCH_UP: 'off', AZL_DISTRO_DIR: fedora().distroDir }));
const run = Date.now().toString(16).padStart(16, '0');
const fingerprint = (n: number) => `sha256:${String(n).padStart(16, '0')}${run}${'0'.repeat(32)}`;
const context = () =>
  new InvocationContext({ invocationId: run, functionName: 'build', logHandler: () => undefined });
const request = (component: string, n: number, over: Partial<BuildRequestInput> = {}): BuildRequestInput => ({
  planId: `plan-${run}`,
  component,
  fingerprint: fingerprint(n),
  wave: 0,
  priority: 300,
  reasons: [],
  requestedAt: new Date(Date.parse('2026-12-01T10:00:00Z') + n * 1000).toISOString(),
  ...over,
});

const drain = (queue: string) => drainSessions(app.client, queue);

const handler = () => buildFunction(() => Promise.resolve(app.services)).handler;
const records = () => new TableBuildRecords(azurite.tables);

test('builds a fixture package from the local Fedora with its overlay, stores artifacts and asks to publish', async () => {
  await handler()(request('azl-hello-lib', 1), context());

  const record = await records().get('azl-hello-lib', fingerprint(1));
  expect(record?.state, JSON.stringify(record?.error)).toBe('succeeded');
  expect(record?.history.map((h) => h.state)).toEqual(['queued', 'preparing', 'building', 'succeeded']);
  expect(record?.nevras).toEqual(
    expect.arrayContaining([expect.stringMatching(/^azl-hello-lib-devel-.*\.azl4\.x86_64$/)]),
  );
  expect(record?.repositories).toEqual(['base/srpms', 'base/x86_64']);

  const blobs = azurite.blobs;
  const rpm = record?.artifacts?.find((a) => /^azl-hello-lib-\d.*\.x86_64\.rpm$/.test(a.fileName));
  const stored = await blobs.get(artifactsContainer.name, rpm!.blobPath);
  expect(stored?.metadata).toMatchObject({ sha256: rpm!.sha256, size: String(rpm!.size) });
  const file = join(root, rpm!.fileName);
  writeFileSync(file, stored!.bytes);
  const provides = execFileSync('rpm', ['-qp', '--provides', file], { encoding: 'utf8' });
  expect(provides).toMatch(/libazlhello\.so\.1\(\)\(64bit\)/);
  expect(provides).toMatch(/^azl-greeting-library = \d/m); // the overlay's added Provides

  const publish = await drain('publish');
  const bodies = publish.map((m) => publishRequestSchema.parse(m.body));
  expect(bodies.map((b) => b.repository).sort()).toEqual(['base/srpms', 'base/x86_64']);
  for (const message of publish)
    expect(message.sessionId).toBe((message.body as { repository: string }).repository);

  // The same message again (a redelivery): nothing is built or sent twice.
  await handler()(request('azl-hello-lib', 1), context());
  expect(await drain('publish')).toEqual([]);
}, 120_000);

test('builds recorded for publishing coalesce: one publish run takes both, the later message adds nothing', async () => {
  await handler()(request('azl-hello-tool', 5), context());
  await handler()(request('azl-greeter', 2), context());
  const messages = (await drain('publish')).filter((m) => m.sessionId === 'base/x86_64');
  expect(messages).toHaveLength(2);
  const publish = publishFunction(() => Promise.resolve(app.services)).handler;
  const [first, second] = messages.map((m) => publishRequestSchema.parse(m.body));
  const before = await app.services.publisher.publish(first!);
  expect(before.changed).toBe(true);
  expect(before.requests.length).toBeGreaterThanOrEqual(2); // its own request and the other build's
  expect(before.added).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^azl-hello-tool-\d/),
      expect.stringMatching(/^azl-greeter-\d/),
    ]),
  );
  await publish(messages[1]!.body, context());
  const after = await app.services.publisher.publish(second!);
  expect(after).toMatchObject({ changed: false, revision: before.revision });
}, 120_000);

test('a rebuild with the same RPM contents ends unchanged and is not republished', async () => {
  await handler()(request('azl-greeter', 2), context());
  expect((await records().get('azl-greeter', fingerprint(2)))?.state).toBe('succeeded');
  await drain('publish');
  await handler()(request('azl-greeter', 3), context());
  const again = await records().get('azl-greeter', fingerprint(3));
  expect(again?.state, JSON.stringify(again?.history)).toBe('unchanged');
  expect(await drain('publish')).toEqual([]);
}, 120_000);

test('a poison message is a permanent message.invalid naming the field', async () => {
  await expect(
    handler()({ ...request('azl-greeter', 4), fingerprint: 'md5:x' }, context()),
  ).rejects.toMatchObject({
    code: 'message.invalid',
    retryable: false,
    context: { entity: 'builds', path: 'fingerprint' },
  });
});
