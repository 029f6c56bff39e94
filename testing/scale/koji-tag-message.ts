import { createHash } from 'node:crypto';
import type { WireMessage } from '../fedora/wire-messages';

/** A build Koji tags: the Fedora package's NVR and the tag it lands in. */
export interface KojiTag {
  readonly name: string;
  readonly version: string;
  readonly release: string;
  readonly tag: string;
  /** Who tagged it: `bodhi` for a stable update, `releng` for a mass rebuild. */
  readonly user: string;
  readonly owner: string;
}

/** Where a recorded workload's ids, build ids and times come from, so the same inputs give the same bytes. */
export interface RecordingClock {
  /** Names the workload in the message ids (`uuid(sha256(<stream>:<n>))`). */
  readonly stream: string;
  readonly firstBuildId: number;
  /** `sent-at` of the first message; the n-th is sent `n × stepMs` later (whole seconds on the wire). */
  readonly startedAt: Date;
  readonly stepMs: number;
}

/**
 * Koji's `buildsys.tag` message (`koji_fedoramessaging.tag.TagV1`) in the fedora-messaging wire form, as
 * `testing/fedora/wire-messages.ts` makes it (the body's fields are those of the recorded fixture
 * `/work/shared/fixtures/fedora-messages/buildsys.tag/1.json`), but deterministic: the id is a UUID derived
 * from the stream and position, the build id and `sent-at` follow the position.
 */
export function kojiTagMessage(build: KojiTag, n: number, clock: RecordingClock): WireMessage {
  const sentAt = new Date(clock.startedAt.getTime() + n * clock.stepMs);
  return {
    id: derivedUuid(`${clock.stream}:${n}`),
    topic: 'org.fedoraproject.prod.buildsys.tag',
    headers: {
      fedora_messaging_schema: 'koji_fedoramessaging.tag.TagV1',
      fedora_messaging_severity: 20,
      [`fedora_messaging_rpm_${build.name}`]: true,
      priority: 0,
      'sent-at': `${sentAt.toISOString().slice(0, 19)}+00:00`,
    },
    body: {
      build_id: clock.firstBuildId + n,
      name: build.name,
      tag_id: 6446,
      instance: 'primary',
      tag: build.tag,
      user: build.user,
      version: build.version,
      owner: build.owner,
      release: build.release,
    },
    priority: 0,
    queue: null,
  };
}

/** A version-4-shaped UUID from the SHA-256 of `key` (fedora-messaging ids are UUIDs). */
export function derivedUuid(key: string): string {
  const hex = createHash('sha256').update(key).digest('hex');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
