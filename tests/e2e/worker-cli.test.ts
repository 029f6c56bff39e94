import { ServiceBusClient } from '@azure/service-bus';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { TableBuildRecords } from '../../infra/building/table-build-records';
import type { RunningBroker } from '../../infra/local/broker/broker';
import { startBroker } from '../../infra/local/broker/broker';
import type { LookasideServer } from '../../infra/local/fedora-fixture';
import {
  materialiseFedoraFixture,
  startLookasideServer,
  writeFixtureDistro,
} from '../../infra/local/fedora-fixture';
import { TableStore } from '../../infra/storage';
import { allEntities } from '../../shared/messaging/entities';
import { azuriteConnectionString } from '../support/azurite';
import { runCli } from '../support/cli-process';

/** `azl-rebuilder worker` on a machine of its own: it takes a job from `builds`, builds it, and stops on SIGTERM. */
let root: string;
let broker: RunningBroker;
let lookaside: LookasideServer;
let distroDir: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'azl-worker-'));
  const fixture = materialiseFedoraFixture(join(root, 'fedora'));
  lookaside = await startLookasideServer(fixture.lookasideDir);
  distroDir = writeFixtureDistro(join(root, 'distro'), {
    distGitBaseUri: fixture.distGitTemplate,
    lookasideBaseUri: lookaside.template,
  });
  broker = await startBroker({ entities: allEntities });
});

afterAll(async () => {
  await broker?.stop();
  await lookaside?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

test('the worker process builds a job from the builds queue and stops cleanly', async () => {
  const worker = runCli(['worker'], {
    AzureWebJobsStorage: azuriteConnectionString(),
    ServiceBusConnection: broker.connectionString,
    AZL_DISTRO_DIR: distroDir,
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
  const records = new TableBuildRecords(new TableStore({ connectionString: azuriteConnectionString() }));
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
