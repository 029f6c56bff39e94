import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturePath } from '../../../testing/fixtures/fixture-path';

/** tests/fixtures/fedora-messages: real (or schema-sample) messages by topic; provenance in SOURCE.md. */
export const FIXTURE_DIR = fixturePath('fedora-messages');

/** The `sent-at` given to body-only fixtures when they are wrapped into a wire message. */
export const WRAPPED_SENT_AT = '2025-06-01T12:00:00+00:00';
export const WRAPPED_TIME = '2025-06-01T12:00:00.000Z';

export function readFixture(topicDir: string, n: number): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, topicDir, `${n}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
}

/** The id a wrapped body-only fixture (or an id-less v1 record) gets. */
export const fixtureId = (topicDir: string, n: number): string => `fixture-${topicDir}-${n}`;

/**
 * A fixture as a complete message. Many fixtures are "body only" (see SOURCE.md): they are wrapped into a
 * fedora-messaging wire message with topic `<prefix>.<directory>`, id `fixture-<dir>-<n>` and no severity
 * header. Some edited fedmsg-era records lost their `msg_id`: one is added. Everything else is as stored.
 */
export function fixtureMessage(topicDir: string, n: number): Record<string, unknown> {
  const raw = readFixture(topicDir, n);
  if ('msg' in raw) return 'msg_id' in raw ? raw : { msg_id: fixtureId(topicDir, n), ...raw };
  if ('body' in raw) return raw;
  const prefix = topicDir.startsWith('anitya.') ? 'org.release-monitoring.prod.' : 'org.fedoraproject.prod.';
  return {
    id: fixtureId(topicDir, n),
    topic: `${prefix}${topicDir}`,
    headers: { 'sent-at': WRAPPED_SENT_AT },
    body: raw,
  };
}

/** A wire message around `body` for constructed cases. */
export function wire(suffix: string, body: unknown, id = `test-${suffix}`): Record<string, unknown> {
  return {
    id,
    topic: `org.fedoraproject.prod.${suffix}`,
    headers: { 'sent-at': WRAPPED_SENT_AT, fedora_messaging_severity: 20 },
    body,
  };
}
