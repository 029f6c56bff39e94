import { InvocationContext } from '@azure/functions';
import { expect, test } from 'vitest';
import { planFunction } from '../../../functions/plan';
import { buildRequestSchema } from '../../../shared/build';
import { parseCloudEvent } from '../../../shared/events';
import type { UpstreamEvent } from '../../../shared/fedora/upstream-event';
import { writeSmallDistro, writeSmallRepodata } from '../../../testing/fixtures/small-distro';
import { useTempDir } from '../../../testing/temp-dirs';
import { useComposedServices } from '../../../testing/composition';
import { drainSessions } from '../../../testing/broker/local-broker';
import { azuriteConnectionString } from '../../../testing/azurite';
import { BlobPlanWaves } from '../../../infra/build-worker/blob-plan-waves';
import { BlobStore } from '../../../infra/storage';
import { taggedEvent } from '../../../testing/fixtures/upstream-events';

/**
 * The plan function as the host runs it, over the real adapters: Azurite, the local broker, a distro tree on
 * disk and a dependency index refreshed from repodata by a `buildsys.repo.done` message.
 */
const dir = useTempDir('azl-plan-fn-');
const app = useComposedServices(() => {
  const repodata = writeSmallRepodata(dir);
  return {
    AZL_FEDORA_CATCH_UP: 'off',
    AZL_INSTANCE_NAME: 'plan-fn-test',
    AZL_DISTRO_DIR: writeSmallDistro(),
    AZL_PLANNER_DEBOUNCE_SECONDS: '0',
    AZL_PLANNER_QUIET_SECONDS: '0',
    AZL_DEPS_REPODATA: repodata.binary,
    AZL_DEPS_SOURCE_REPODATA: repodata.source,
    AZL_DEPS_TRACKED_TAGS: 'f43-build',
  };
});
const run = Date.now().toString(36);
const context = () =>
  new InvocationContext({ invocationId: run, functionName: 'plan', logHandler: () => undefined });

const event = (id: string, over: Partial<UpstreamEvent> = {}): UpstreamEvent =>
  taggedEvent(`${run}-${id}`, over);

/** Every message on `builds`, session by session. */
const drainBuilds = () => drainSessions(app.client, 'builds');

test('a tagged build of zlib-ng plans it and, after the index refresh, its dependents in the next wave (stored, sent when the first ends)', async () => {
  const handler = planFunction(() => Promise.resolve(app.services)).handler;
  await handler(
    event('repo', {
      topic: 'org.fedoraproject.prod.buildsys.repo.done',
      kind: 'repo-regenerated',
      packages: [],
      builds: [],
      tag: 'f43-build',
    }),
    context(),
  );
  await handler(event('zlib'), context());

  // The first wave is sent; the next is in the stored plan, for the worker that ends the first to send.
  const builds = await drainBuilds();
  const requests = builds.map((m) => buildRequestSchema.parse(m.body));
  expect(requests.map((r) => [r.component, r.wave])).toEqual([['zlib-ng', 0]]);
  for (const message of builds) {
    const request = buildRequestSchema.parse(message.body);
    expect(message.sessionId).toBe(request.component);
    expect(message.messageId).toBe(request.fingerprint);
  }
  const stored = new BlobPlanWaves(new BlobStore({ connectionString: azuriteConnectionString() }));
  const planId = requests[0]!.planId;
  expect(await stored.waveCount(planId)).toBe(2);
  const next = await stored.wave(planId, 1);
  expect(next.map((r) => [r.component, r.wave]).sort()).toEqual([
    ['curl', 1],
    ['libpng', 1],
  ]);
  const libpng = next.find((r) => r.component === 'libpng');
  expect(libpng?.reasons[0]).toMatchObject({
    messageId: `${run}-zlib`,
    package: 'zlib-ng',
    path: [{ from: 'zlib-ng', buildRequire: 'zlib-ng-compat-devel' }],
    component: 'zlib-ng',
  });

  const log = app.client.createReceiver('events', 'webhooks', { receiveMode: 'receiveAndDelete' });
  const announced = await log.receiveMessages(10, { maxWaitTimeInMs: 1_000 });
  expect(announced.map((m) => m.subject)).toContain('plan.created');
  // The body is the event's CloudEvent, with this instance as its source and its id as the message id.
  const planCreated = announced.find((m) => m.subject === 'plan.created');
  expect(parseCloudEvent(planCreated?.body)).toMatchObject({
    type: 'com.azurelinux.rebuilder.plan.created',
    source: 'urn:azl-rebuilder:plan-fn-test',
    id: planCreated?.messageId,
  });
  await log.close();

  // The same message again (a redelivery after the broker's window): decided before, nothing is built.
  await handler(event('zlib'), context());
  expect(await drainBuilds()).toEqual([]);
}, 60_000);

test('a body that is not an upstream event is a permanent message.invalid naming the field', async () => {
  const handler = planFunction(() => Promise.resolve(app.services)).handler;
  await expect(handler({ ...event('bad'), kind: 'exploded' }, context())).rejects.toMatchObject({
    code: 'message.invalid',
    retryable: false,
    context: { entity: 'ingest', path: 'kind' },
  });
});
