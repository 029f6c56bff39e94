import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { ServiceBusClient } from '@azure/service-bus';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { isPortFree } from '../../infra/local/free-port';
import { TableStore } from '../../infra/storage';
import { queues } from '../../shared/messaging/entities';
import { buildsTable } from '../../shared/storage';
import { processesMentioning } from '../../testing/pipeline/cli-process';
import type { FixturePipeline } from '../../testing/pipeline/fixture-pipeline';
import {
  expectExactlyPublished,
  startFixturePipeline,
  waitUntilSettled,
} from '../../testing/pipeline/fixture-pipeline';
import { tagMessage } from '../../testing/fedora/wire-messages';

/**
 * Storage goes away in the middle of a run: the Azurite child of `azl-rebuilder start` stops while events
 * are being planned and built and stays away for 30 s (the test holds its blob port meanwhile, so the
 * runtime's attempts to start it again fail), then the runtime brings it back on the same ports with the same
 * data. Every event still reaches its published result, none is dead-lettered, nothing is built twice.
 *
 * Azurite is stopped with SIGTERM, which it answers by saving its databases: storage that loses what it had
 * acknowledged is not an outage Azure Storage has, and Azurite killed with SIGKILL does lose the last
 * seconds of writes (its LokiJS stores save every 5 s), tables created just before included.
 */
const OUTAGE_MS = 30_000;
/** Longer than ingest takes to give up on storage that is down (its retries included). */
const POST_TIMEOUT_MS = 90_000;
let pipeline: FixturePipeline;
let ports: { blob: number; queue: number; table: number };

beforeAll(async () => {
  ports = await portsBelowEphemeralRange();
  pipeline = await startFixturePipeline('azl-outage-', {
    ports,
    // Each build publishes at once: coalescing (10 s by default) only delayed the last revision here.
    env: { AZL_FEDORA_CATCH_UP: 'off', AZL_REPO_COALESCE_SECONDS: '0' },
  });
}, 120_000);

afterAll(async () => {
  await pipeline?.stop();
}, 120_000);

/**
 * Three free consecutive ports below the kernel's ephemeral range. While Azurite is down its queue and table
 * ports are free, and a port of that range can meanwhile become the local end of any outgoing connection on
 * the machine (other tests open thousands), which would keep Azurite from coming back on it.
 */
async function portsBelowEphemeralRange(): Promise<{ blob: number; queue: number; table: number }> {
  const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  const top = Math.min(Number.isInteger(low) ? low : 32_768, 32_768) - 3;
  for (let attempt = 0; attempt < 200; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * (top - 20_000));
    const candidates = [base, base + 1, base + 2];
    if ((await Promise.all(candidates.map((port) => isPortFree(port)))).every(Boolean)) {
      return { blob: base, queue: base + 1, table: base + 2 };
    }
  }
  throw new Error('no three free ports below the ephemeral range');
}

/** The pid of the pipeline's Azurite (its command line names the persistence folder), if one runs. */
function azuritePid(): number | undefined {
  const location = join(pipeline.dataDir, 'azurite');
  return processesMentioning(location).find((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('azurite');
    } catch {
      return false; // it ended while we looked
    }
  });
}

/**
 * Takes `port` as another program would: the runtime cannot start Azurite on it, and a client that connects
 * meanwhile is cut off at once (a listener that accepted and never answered would hold that client, and
 * keep `close` from ending, for as long as the client waits).
 */
function holdPort(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** `promise`, or an error naming `what` with the end of the pipeline's log when it takes over `ms`. */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: not done after ${ms} ms\n${pipeline.run.output().slice(-8_000)}`)),
      ms,
    );
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function azuriteGone(pid: number): Promise<void> {
  while (existsSync(`/proc/${pid}`)) await new Promise((resolve) => setTimeout(resolve, 20));
}

async function post(messages: unknown[]): Promise<{ status: number; outcomes: string[] }> {
  const request = async () => {
    const response = await fetch(`${pipeline.endpoints.apiBaseUrl}/fedora/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-functions-key': pipeline.endpoints.functionKey },
      body: JSON.stringify(messages),
    });
    const body = (await response.json()) as { results?: { outcome: string }[] };
    return { status: response.status, outcomes: (body.results ?? []).map((r) => r.outcome) };
  };
  return within(POST_TIMEOUT_MS, 'POST /api/fedora/messages', request());
}

test('Azurite stopped mid-run and back after 30 s: every event is built and published once, none lost', async () => {
  const first = [tagMessage('azl-hello-lib', '1.0', '3.fc43'), tagMessage('azl-hello-tool', '1.0', '1.fc43')];
  expect(await post(first)).toEqual({ status: 202, outcomes: ['accepted', 'accepted'] });

  // Mid-run: the events are planned and the first build is under way when storage goes.
  const tables = new TableStore({ connectionString: pipeline.endpoints.storageConnectionString });
  const started = Date.now() + 60_000;
  const builds = () => within(30_000, 'reading the builds table', tables.query(buildsTable.name, {}));
  while ((await builds().catch(() => ({ items: [] }))).items.length === 0) {
    if (Date.now() > started) throw new Error(`no build started:\n${pipeline.run.output().slice(-8_000)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const pid = azuritePid()!;
  process.kill(-pid, 'SIGTERM');
  const downSince = Date.now();
  await within(30_000, `Azurite (pid ${pid}) stopping on SIGTERM`, azuriteGone(pid));
  const squatter = await holdPort(ports.blob);

  // While storage is down, ingest cannot record anything: it says so (503) and queues nothing; the sender
  // (the bridge, the catch-up, a replay) sends again later.
  const late = tagMessage('azl-greeter', '2.1', '2.fc43');
  const refused = await post([late]);
  expect(refused.status).toBe(503);

  await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - downSince))));
  expect(azuritePid(), 'no Azurite while its port is held').toBeUndefined();
  await within(
    5_000,
    'releasing the blob port',
    new Promise<void>((resolve) => squatter.close(() => resolve())),
  );

  // The runtime starts Azurite again by itself; the sender's retry of the refused message then goes in.
  const deadline = Date.now() + 60_000;
  // A retry that gets no answer in time is a failed send, tried again like a refused one.
  const send = () => post([late]).catch(() => ({ status: 0, outcomes: [] as string[] }));
  let retried = await send();
  while (retried.status !== 202 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    retried = await send();
  }
  expect(retried, pipeline.run.output().slice(-8_000)).toEqual({ status: 202, outcomes: ['accepted'] });
  expect(azuritePid()).not.toBe(pid);

  await waitUntilSettled(pipeline, 3, 180_000);
  await expectExactlyPublished(
    pipeline,
    ['azl-greeter', 'azl-hello-lib', 'azl-hello-tool'],
    [
      'azl-greeter-0:2.1-2.azl4.x86_64',
      'azl-hello-lib-0:1.0-3.azl4.x86_64',
      'azl-hello-lib-devel-0:1.0-3.azl4.x86_64',
      'azl-hello-tool-0:1.0-1.azl4.x86_64',
    ],
  );

  // No message was given up on: every dead-letter queue is empty, and no failure is on record.
  const client = new ServiceBusClient(pipeline.endpoints.serviceBusConnectionString);
  try {
    for (const queue of Object.values(queues).map((q) => q.name)) {
      const receiver = client.createReceiver(queue, { subQueueType: 'deadLetter' });
      const dead = await receiver.peekMessages(10);
      await receiver.close();
      expect(
        dead.map((m) => `${String(m.messageId)}: ${m.deadLetterReason}`),
        `dead-lettered on ${queue}`,
      ).toEqual([]);
    }
  } finally {
    await client.close();
  }
  expect(await pipeline.api('failures')).toMatchObject({ items: [] });
  // Longer than the waits above add up to, so that one of them fails first, with the pipeline's log.
}, 720_000);
