import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IngestResult, IngestSink, IngestSource } from '../../shared/fedora/ingest-port';
import type { BridgeConfigInput } from '../../infra/fedora-bridge';
import { fixturePath } from '../fixtures/fixture-path';
import { envelope } from '../rabbitmq/publisher';
import type { PublishedMessage } from '../rabbitmq/publisher';

const fixtures = fixturePath('fedora-bridge');

function readFixture(file: string): unknown {
  return JSON.parse(readFileSync(join(fixtures, file), 'utf8')) as unknown;
}

/** A real envelope fixture (`{ id, topic, headers, body }`) as published. */
export function envelopeFixture(name: string): PublishedMessage {
  const { id, topic, headers, body } = readFixture(`${name}.envelope.json`) as {
    id: string;
    topic: string;
    headers: Record<string, unknown>;
    body: unknown;
  };
  return { id, topic, headers, body };
}

/** Body-only fixtures with their full topic and schema entry-point name (see the fixtures' SOURCE.md). */
const bodies: ReadonlyArray<readonly [string, string, string]> = [
  ['buildsys.tag', 'org.fedoraproject.prod.buildsys.tag', 'koji_fedoramessaging.tag.TagV1'],
  ['buildsys.untag', 'org.fedoraproject.prod.buildsys.untag', 'koji_fedoramessaging.tag.UntagV1'],
  ['buildsys.repo.done', 'org.fedoraproject.prod.buildsys.repo.done', 'koji_fedoramessaging.repo.DoneV1'],
  [
    'bodhi.update.request.testing',
    'org.fedoraproject.prod.bodhi.update.request.testing',
    'bodhi.update.request.testing.v1',
  ],
  [
    'bodhi.update.status.testing.koji-build-group.build.complete',
    'org.fedoraproject.prod.bodhi.update.status.testing.koji-build-group.build.complete',
    'bodhi.update.status.testing.v3',
  ],
  [
    'koschei.package.state.change',
    'org.fedoraproject.prod.koschei.package.state.change',
    'koschei.package.state.change',
  ],
  [
    'anitya.project.version.update',
    'org.release-monitoring.prod.anitya.project.version.update',
    'anitya.project.version.update',
  ],
  [
    'anitya.project.version.update.v2',
    'org.release-monitoring.prod.anitya.project.version.update.v2',
    'anitya.project.version.update.v2',
  ],
];

/** Every fixture on a topic the bridge binds by default, each with a fresh id for the body-only ones. */
export function boundFixtures(): PublishedMessage[] {
  return [
    envelopeFixture('buildsys.build.state.change'),
    ...bodies.map(([file, topic, schema]) => envelope(topic, schema, readFixture(`${file}.body.json`))),
  ];
}

/** A fresh `buildsys.tag` message (new id each call), for streams of many messages. */
export function tagMessage(): PublishedMessage {
  const [file, topic, schema] = bodies[0] ?? ['', '', ''];
  return envelope(topic, schema, readFixture(`${file}.body.json`));
}

/** An IngestSink that records what it was given; `behaviour` can fail or delay a submit. */
export class RecordingSink implements IngestSink {
  readonly calls: unknown[] = [];
  readonly taken: Array<Record<string, unknown>> = [];

  constructor(
    private readonly behaviour: (
      record: Record<string, unknown>,
      call: number,
    ) => Promise<void> = async () => {},
  ) {}

  async submit(messages: readonly unknown[], source: IngestSource): Promise<IngestResult[]> {
    if (source !== 'amqp-bridge') throw new Error(`unexpected source ${source}`);
    const results: IngestResult[] = [];
    for (const message of messages) {
      const record = message as Record<string, unknown>;
      this.calls.push(record);
      await this.behaviour(record, this.calls.length);
      this.taken.push(record);
      const id = typeof record.id === 'string' ? record.id : undefined;
      const topic = typeof record.topic === 'string' ? record.topic : undefined;
      results.push(
        'bridgeProblem' in record
          ? { id, topic, outcome: 'rejected', reason: 'unparsable' }
          : { id, topic, outcome: 'accepted' },
      );
    }
    return results;
  }

  takenIds(): unknown[] {
    return this.taken.map((record) => record.id);
  }
}

/** Polls `condition` every 25 ms; fails naming `what` after `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Bridge settings for a local broker: plain AMQP, vhost `/`, short delays. */
export function localBridgeConfig(
  url: string,
  overrides: Partial<BridgeConfigInput> = {},
): BridgeConfigInput {
  return {
    url,
    vhost: '/',
    reconnect: { initialMs: 200, maxMs: 2_000 },
    submitRetry: { initialMs: 50, maxMs: 400 },
    watchdogIdleMs: 0,
    stopTimeoutMs: 10_000,
    ...overrides,
  };
}
