import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ServiceBusClient } from '@azure/service-bus';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { cloudEventTypeOf } from '../../shared/events/cloud-event';
import { encodeImageJobRequest } from '../../infra/images/image-job-contract';
import { TableImageBuilds } from '../../infra/images/table-image-builds';
import { moveImageBuild, newImageBuild } from '../../shared/images/image-build';
import { imageJobRequestSchema } from '../../shared/images/image-job-request';
import { allEntities } from '../../shared/messaging/entities';
import { useAzurite } from '../../testing/azurite';
import { useLocalBroker } from '../../testing/broker/local-broker';
import { buildTinyImageRepo, writeTinyImageTree } from '../../testing/images/tiny-image-repo';
import { writeSparseVhd } from '../../testing/images/sparse-vhd';
import { runCli } from '../../testing/pipeline/cli-process';
import { useTempDir } from '../../testing/temp-dirs';

/**
 * `azl-rebuilder worker image` as a cloud image build execution runs it: the request in
 * `AZL_IMAGE_JOB_REQUEST`, the record the function app left `building`, kiwi-ng on the PATH (a stand-in that
 * writes a VHD and an image root with an rpm database), Azurite and the broker for storage and events.
 */
const azurite = useAzurite();
const broker = useLocalBroker({ entities: allEntities });
const dir = useTempDir('azl-worker-image-');
const MIB = 1024 * 1024;
let treeDir: string;
let binDir: string;
let vhd: string;

beforeAll(async () => {
  const repo = buildTinyImageRepo(dir);
  const rpm = join(
    dir,
    'repo',
    repo.rpms.find((name) => name.startsWith('tiny-hello-'))!,
  );
  treeDir = writeTinyImageTree();
  vhd = join(dir, 'disk.vhd');
  await writeSparseVhd(vhd, 16 * MIB + 512, [{ offset: 2 * MIB, length: 64 * 1024 }]);
  binDir = join(dir, 'bin');
  rmSync(binDir, { recursive: true, force: true });
  mkdirSync(binDir);
  writeFileSync(
    join(binDir, 'kiwi-ng'),
    `#!/bin/bash
while [ "$1" != --target-dir ]; do shift; done; target="$2"
root="$target/build/image-root"; mkdir -p "$root"
rpm --root "$root" --dbpath /usr/lib/sysimage/rpm --initdb
rpm --root "$root" --dbpath /usr/lib/sysimage/rpm -i --justdb --nodeps --noscripts "${rpm}"
cp --sparse=always "${vhd}" "$target/azl4-tiny-vm.x86_64-1.0.vhd"
echo "kiwi-ng stand-in: built"
`,
  );
  chmodSync(join(binDir, 'kiwi-ng'), 0o755);
}, 120_000);
afterAll(() => rmSync(treeDir, { recursive: true, force: true }));

const env = (request: string) => ({
  AzureWebJobsStorage: azurite.connectionString,
  ServiceBusConnection: broker.connectionString,
  AZL_DISTRO_DIR: treeDir,
  AZL_IMAGE_JOB_REQUEST: request,
  AZL_IMAGE_WORK_DIR: join(dir, 'work'),
  PATH: `${binDir}:${process.env['PATH'] ?? ''}`,
});

test('worker image builds the recorded version with kiwi-ng, publishes it and announces it', async () => {
  const version = `20261206.${Date.now() % 100_000}`;
  const fingerprint = `sha256:${'9'.repeat(64)}`;
  const records = new TableImageBuilds(azurite.tables);
  const at = new Date().toISOString();
  await records.put(
    moveImageBuild(
      newImageBuild({ image: 'tiny-vm', version, fingerprint, at }),
      'building',
      at,
      'dispatched',
    ),
  );
  const request = imageJobRequestSchema.parse({
    image: 'tiny-vm',
    version,
    arch: 'x86_64',
    fingerprint,
    repositories: [
      { repository: 'base/x86_64', revision: 7, baseUrl: 'http://127.0.0.1:1/repos/base/x86_64/' },
    ],
    output: { container: 'images', vhdBlobName: `tiny-vm/${version}/tiny-vm-${version}.vhd` },
  });
  const client = new ServiceBusClient(broker.connectionString);
  const receiver = client.createReceiver('events', 'webhooks', { receiveMode: 'receiveAndDelete' });

  const run = runCli(
    ['worker', 'image', '--image', 'tiny-vm', '--version', version],
    env(encodeImageJobRequest(request)),
  );

  expect(await run.exited, run.output()).toBe(0);
  expect(run.output()).toContain('kiwi-ng stand-in: built');
  const record = await records.get('tiny-vm', version);
  expect(record?.history.map((h) => h.state)).toEqual(['queued', 'building', 'uploading', 'published']);
  expect(record?.packages).toBe(1);
  // Anonymous read by the URL the record holds: the VHD as kiwi-ng left it.
  const downloaded = Buffer.from(await (await fetch(record?.urls?.vhd ?? '')).arrayBuffer());
  expect(createHash('sha256').update(downloaded).digest('hex')).toBe(
    createHash('sha256').update(readFileSync(vhd)).digest('hex'),
  );
  const events = await receiver.receiveMessages(20, { maxWaitTimeInMs: 3_000 });
  await client.close();
  const announced = events.map((e) => e.body as { type?: string; subject?: string });
  expect(announced).toContainEqual(
    expect.objectContaining({ type: cloudEventTypeOf('image.published'), subject: 'tiny-vm' }),
  );
}, 120_000);

test('worker image refuses a request its arguments do not match, and exits 1', async () => {
  const request = imageJobRequestSchema.parse({
    image: 'tiny-vm',
    version: '1.0.0',
    arch: 'x86_64',
    fingerprint: `sha256:${'9'.repeat(64)}`,
    repositories: [
      { repository: 'base/x86_64', revision: 7, baseUrl: 'http://127.0.0.1:1/repos/base/x86_64/' },
    ],
    output: { container: 'images', vhdBlobName: 'tiny-vm/1.0.0/tiny-vm-1.0.0.vhd' },
  });

  const run = runCli(
    ['worker', 'image', '--image', 'tiny-vm', '--version', '2.0.0'],
    env(encodeImageJobRequest(request)),
  );

  expect(await run.exited).toBe(1);
  expect(run.output()).toContain('image.job-request-invalid');
  // The log line is JSON: the quotes of the message are escaped.
  expect(run.output()).toContain('--version \\"2.0.0\\" is not the request\'s \\"1.0.0\\"');
}, 60_000);
