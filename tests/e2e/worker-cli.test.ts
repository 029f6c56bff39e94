import { ServiceBusClient } from '@azure/service-bus';
import { expect, test } from 'vitest';
import { TableBuildRecords } from '../../infra/build-worker/table-build-records';
import { encodeBuildRequest } from '../../infra/builders/container-apps';
import { buildRequestSchema, buildResultSchema } from '../../shared/build';
import { allEntities } from '../../shared/messaging/entities';
import { useAzurite } from '../../testing/azurite';
import { runCli } from '../../testing/pipeline/cli-process';
import { useTempDir } from '../../testing/temp-dirs';
import { useSmallFedora } from '../../testing/fixtures/use-small-fedora';
import { useLocalBroker } from '../../testing/broker/local-broker';

/** `azl-rebuilder worker` on a machine of its own: it takes a job from `builds`, builds it, and stops on SIGTERM. */
const azurite = useAzurite();
const root = useTempDir('azl-worker-');
const fedora = useSmallFedora(root);
const broker = useLocalBroker({ entities: allEntities });

test('the worker process builds a job from the builds queue and stops cleanly', async () => {
  const worker = runCli(['worker'], {
    AzureWebJobsStorage: azurite.connectionString,
    ServiceBusConnection: broker.connectionString,
    AZL_DISTRO_DIR: fedora().distroDir,
    AZL_FEDORA_CATCH_UP: 'off',
  });
  const fingerprint = `sha256:${Date.now().toString(16).padStart(64, 'f')}`;
  const client = new ServiceBusClient(broker.connectionString);
  await client.createSender('builds').sendMessages({
    messageId: fingerprint,
    sessionId: 'azl-greeter',
    body: {
      planId: 'plan-worker',
      component: 'azl-greeter',
      fingerprint,
      wave: 0,
      priority: 300,
      reasons: [],
      requestedAt: new Date().toISOString(),
    },
  });
  await client.close();
  const records = new TableBuildRecords(azurite.tables);
  let record;
  for (let i = 0; i < 120 && !['succeeded', 'unchanged', 'failed'].includes(record?.state ?? ''); i++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    record = await records.get('azl-greeter', fingerprint).catch(() => undefined);
  }
  expect(['succeeded', 'unchanged'], worker.output()).toContain(record?.state);
  worker.child.kill('SIGTERM');
  expect(await worker.exited).toBe(0);
  expect(worker.output()).toContain('worker stopped');
}, 120_000);

test('worker build (a cloud execution) builds the request from AZL_BUILD_REQUEST and reports on build-results', async () => {
  const fingerprint = `sha256:${Date.now().toString(16).padStart(64, 'e')}`;
  const request = buildRequestSchema.parse({
    planId: 'plan-cloud',
    component: 'azl-hello-tool',
    fingerprint,
    wave: 0,
    priority: 300,
    reasons: [],
    requestedAt: new Date().toISOString(),
  });
  const run = runCli(['worker', 'build'], {
    AzureWebJobsStorage: azurite.connectionString,
    ServiceBusConnection: broker.connectionString,
    AZL_DISTRO_DIR: fedora().distroDir,
    AZL_BUILD_REQUEST: encodeBuildRequest(request),
    CONTAINER_APP_JOB_EXECUTION_NAME: 'azl-build-job-x1y2z',
  });
  expect(await run.exited, run.output()).toBe(0);
  const client = new ServiceBusClient(broker.connectionString);
  const receiver = client.createReceiver('build-results', { receiveMode: 'receiveAndDelete' });
  const [reported] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5_000 });
  await client.close();
  expect(reported?.messageId).toBe(`${fingerprint}:azl-build-job-x1y2z`);
  const result = buildResultSchema.parse(reported?.body);
  expect(result).toMatchObject({ component: 'azl-hello-tool', state: 'succeeded', builder: 'rpmbuild' });
  expect(result.nevras).toEqual(
    expect.arrayContaining([expect.stringMatching(/^azl-hello-tool-.*\.x86_64$/)]),
  );
  // Other tests may have built this component already (the storage is shared): then it is `unchanged`,
  // reported as succeeded with nothing uploaded.
  const record = await new TableBuildRecords(azurite.tables).get('azl-hello-tool', fingerprint);
  expect(['succeeded', 'unchanged']).toContain(record?.state);
  expect(result.artifacts.map((a) => a.kind).sort()).toEqual(
    record?.state === 'succeeded' ? ['log', 'rpm', 'srpm'] : [],
  );
}, 120_000);
