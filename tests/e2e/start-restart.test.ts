import { ServiceBusClient } from '@azure/service-bus';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { CliRun } from '../../testing/pipeline/cli-process';
import {
  ephemeralPorts,
  processesMentioning,
  runCli,
  waitForEndpoints,
} from '../../testing/pipeline/cli-process';

let dataDir: string;
const runs: CliRun[] = [];

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'azl-start-'));
});

afterEach(async () => {
  for (const run of runs.splice(0)) {
    if (run.child.exitCode === null) {
      run.child.kill('SIGKILL');
      await run.exited;
    }
  }
  for (const pid of processesMentioning(dataDir)) process.kill(pid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

function start(): CliRun {
  const run = runCli(['start', '--no-demo', '--data-dir', dataDir, ...ephemeralPorts]);
  runs.push(run);
  return run;
}

test('start serves a healthy /api/health, stops cleanly on Ctrl-C, and a restart keeps a queued message', async () => {
  const first = start();
  const endpoints = await waitForEndpoints(first, dataDir);

  const health = await fetch(endpoints.healthUrl);
  const report = (await health.json()) as { status: string; dependencies: { name: string; state: string }[] };
  expect(health.status).toBe(200);
  expect(report.status).toBe('healthy');
  expect(report.dependencies.map((d) => [d.name, d.state])).toEqual([
    ['storage', 'healthy'],
    ['serviceBus', 'healthy'],
  ]);

  const client = new ServiceBusClient(endpoints.serviceBusConnectionString);
  // A message no function can take: after its deliveries it waits in the dead-letter queue, which has to
  // survive the restart in the broker's journal.
  await client
    .createSender('build-results')
    .sendMessages({ messageId: 'kept-1', body: { survives: 'restart' } });
  const dlq = client.createReceiver('build-results', { subQueueType: 'deadLetter' });
  let parked;
  for (let i = 0; i < 60 && !parked; i++) {
    [parked] = await dlq.peekMessages(1);
    if (!parked) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(parked?.messageId).toBe('kept-1');
  await dlq.close();
  await client.close();

  first.child.kill('SIGINT');
  expect(await first.exited).toBe(0);
  expect(processesMentioning(dataDir)).toEqual([]);

  const second = start();
  const again = await waitForEndpoints(second, dataDir);
  const client2 = new ServiceBusClient(again.serviceBusConnectionString);
  const receiver = client2.createReceiver('build-results', { subQueueType: 'deadLetter' });
  const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5_000 });
  expect(message?.messageId).toBe('kept-1');
  expect(message?.body).toEqual({ survives: 'restart' });
  await receiver.completeMessage(message!);
  await client2.close();

  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(0);
  expect(processesMentioning(dataDir)).toEqual([]);
}, 120_000);

test('a port already taken stops start-up with an error naming the port, and leaves nothing running', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const taken = (blocker.address() as { port: number }).port;
  try {
    const run = runCli([
      'start',
      '--no-demo',
      '--data-dir',
      dataDir,
      ...ephemeralPorts,
      '--http-port',
      String(taken),
    ]);
    runs.push(run);
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('host.port-in-use');
    expect(run.output()).toContain(String(taken));
    expect(processesMentioning(dataDir)).toEqual([]);
  } finally {
    blocker.close();
  }
}, 120_000);
