import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
