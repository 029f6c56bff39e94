import { expect, test } from 'vitest';
import { TableBuildRecords } from '../../../infra/build-worker/table-build-records';
import { TablePlanStore } from '../../../infra/planning-pass/table-plan-store';
import { TablePendingPublishes } from '../../../infra/publishing';
import { composeReconcile } from '../../../infra/reconcile/compose-reconcile';
import { buildRequestSchema } from '../../../shared/build';
import { newBuildRecord, transition } from '../../../shared/build-worker';
import { allEntities, queues } from '../../../shared/messaging/entities';
import type { PlanRecord } from '../../../shared/planning-pass';
import type { PublishRequest } from '../../../shared/publishing';
import { publishRequestSchema } from '../../../shared/publishing';
import { reconcileMessageId } from '../../../shared/reconcile';
import { uniqueName, useAzurite } from '../../../testing/azurite';
import { useLocalBroker } from '../../../testing/broker/local-broker';

/**
 * The reconciler over the real adapters: records written to Azurite by the stages' own stores, messages
 * sent again on the local broker. The storage account is shared with other tests, so every component name
 * is unique to this run and only its own sessions are read.
 */
const broker = useLocalBroker({ entities: allEntities });
const { tables, blobs } = useAzurite();

const fingerprint = (seed: string) =>
  `sha256:${Buffer.from(seed).toString('hex').padEnd(64, '0').slice(0, 64)}`;
const minutesAgo = (now: Date, minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString();

async function receiveFromSession(queue: string, sessionId: string) {
  const receiver = await broker.client.acceptSession(queue, sessionId, { receiveMode: 'receiveAndDelete' });
  try {
    return await receiver.receiveMessages(10, { maxWaitTimeInMs: 2_000 });
  } finally {
    await receiver.close();
  }
}

test('a plan item with no build record is sent again on `builds` (once per period), rebuilt from the stored plan', async () => {
  // Early in a 15-minute period, so that the second run below falls in the same one.
  const now = new Date(Math.floor(Date.now() / 900_000) * 900_000 + 1_000);
  const component = uniqueName('recon');
  const built = uniqueName('reconbuilt');
  const plan: PlanRecord = {
    planId: `plan-${uniqueName('p')}`,
    createdAt: minutesAgo(now, 30),
    messageIds: ['m-1'],
    modelVersion: 'm',
    indexVersion: 'i',
    planned: [
      {
        component,
        fingerprint: fingerprint(component),
        wave: 0,
        priority: 100,
        reasons: [reason(component)],
      },
      { component: built, fingerprint: fingerprint(built), wave: 0, priority: 100, reasons: [reason(built)] },
    ],
    skipped: [],
    cycles: [],
  };
  await new TablePlanStore(tables, blobs).save(plan);
  const records = new TableBuildRecords(tables);
  const request = { ...plan.planned[1]!, planId: plan.planId, requestedAt: plan.createdAt, attempt: 1 };
  await records.put(newBuildRecord(request, minutesAgo(now, 25)));

  const { reconciler, close } = composeReconcile({ tables, blobs, serviceBus: broker.client });
  try {
    const report = await reconciler.run(now);
    expect(report.planItemsRequeued).toBeGreaterThanOrEqual(1);
    // A second run in the same period sends the same id again: the broker's duplicate detection drops it.
    await reconciler.run(new Date(now.getTime() + 1_000));
  } finally {
    await close();
  }

  const [message, ...more] = await receiveFromSession(queues.builds.name, component);
  expect(more).toEqual([]);
  expect(message?.messageId).toBe(reconcileMessageId(fingerprint(component), now, 15));
  expect(buildRequestSchema.parse(message?.body)).toEqual({
    planId: plan.planId,
    component,
    fingerprint: fingerprint(component),
    wave: 0,
    priority: 100,
    reasons: [reason(component)],
    requestedAt: plan.createdAt,
    attempt: 1,
  });
  // The item with a (fresh, queued) build record is not sent again.
  expect(await receiveFromSession(queues.builds.name, built)).toEqual([]);
}, 60_000);

test('a stuck build is re-queued and a succeeded build’s pending publish is sent again on `publish`', async () => {
  const now = new Date();
  const stuck = uniqueName('reconstuck');
  const published = uniqueName('reconpub');
  const plan: PlanRecord = {
    planId: `plan-${uniqueName('p')}`,
    createdAt: minutesAgo(now, 500),
    messageIds: [],
    modelVersion: 'm',
    indexVersion: 'i',
    planned: [stuck, published].map((c) => ({
      component: c,
      fingerprint: fingerprint(c),
      wave: 0,
      priority: 100,
      reasons: [reason(c)],
    })),
    skipped: [],
    cycles: [],
  };
  await new TablePlanStore(tables, blobs).save(plan);
  const records = new TableBuildRecords(tables);
  const requestOf = (i: number) => ({
    ...plan.planned[i]!,
    planId: plan.planId,
    requestedAt: plan.createdAt,
    attempt: 1,
  });
  await records.put(
    transition(newBuildRecord(requestOf(0), minutesAgo(now, 200)), 'building', minutesAgo(now, 190)),
  );
  const repository = `${published}/x86_64`;
  const publish: PublishRequest = {
    repository,
    component: published,
    fingerprint: fingerprint(published),
    buildId: `${published}@0`,
    packages: [
      {
        artifactBlob: `${published}/f/p-1-1.x86_64.rpm`,
        fileName: 'p-1-1.x86_64.rpm',
        sha256: 'a'.repeat(64),
        size: 10,
        nevra: 'p-1-1.x86_64',
      },
    ],
    requestedAt: minutesAgo(now, 60),
  };
  await new TablePendingPublishes(tables).record(`${repository}:${publish.fingerprint}`, publish);
  const succeeded = transition(
    newBuildRecord(requestOf(1), minutesAgo(now, 70)),
    'succeeded',
    minutesAgo(now, 60),
    undefined,
    {
      repositories: [repository],
    },
  );
  await records.put(succeeded);

  const { reconciler, close } = composeReconcile({ tables, blobs, serviceBus: broker.client });
  try {
    await reconciler.run(now);
  } finally {
    await close();
  }

  const [rebuild] = await receiveFromSession(queues.builds.name, stuck);
  expect(buildRequestSchema.parse(rebuild?.body)).toMatchObject({
    component: stuck,
    fingerprint: fingerprint(stuck),
  });
  const [republish] = await receiveFromSession(queues.publish.name, repository);
  expect(republish?.messageId).toBe(reconcileMessageId(`${repository}:${publish.fingerprint}`, now, 15));
  expect(publishRequestSchema.parse(republish?.body)).toEqual(publish);
}, 60_000);

function reason(component: string) {
  return { messageId: `m-${component}`, kind: 'built', package: component, component };
}
