import { randomUUID } from 'node:crypto';

/**
 * Koji's tag message (`koji_fedoramessaging.tag.TagV1`, topic `buildsys.tag`) for a package of the small
 * Fedora, in the fedora-messaging wire form: what the bus carries, what datagrepper's `/v2` serves (same
 * `id`, `topic`, `headers`, `body`, `priority`, `queue`), what HTTP ingest reads. The body has the fields of
 * the recorded fixture (tests/fixtures/fedora-bridge/buildsys.tag.body.json) with the package's values.
 */
export interface WireMessage {
  readonly id: string;
  readonly topic: string;
  readonly headers: Record<string, string | number | boolean>;
  readonly body: Record<string, unknown>;
  readonly priority: number;
  readonly queue: null;
}

let nextBuildId = 2_913_000;

export function tagMessage(
  name: string,
  version: string,
  release: string,
  options: { readonly sentAt?: Date; readonly tag?: string } = {},
): WireMessage {
  // Two minutes ago by default, so that the catch-up's horizon (now − 60 s) includes it.
  const sentAt = options.sentAt ?? new Date(Date.now() - 120_000);
  return {
    id: randomUUID(),
    topic: 'org.fedoraproject.prod.buildsys.tag',
    headers: {
      fedora_messaging_schema: 'koji_fedoramessaging.tag.TagV1',
      fedora_messaging_severity: 20,
      [`fedora_messaging_rpm_${name}`]: true,
      priority: 0,
      'sent-at': `${sentAt.toISOString().slice(0, 19)}+00:00`,
    },
    body: {
      build_id: (nextBuildId += 1),
      name,
      tag_id: 6446,
      instance: 'primary',
      tag: options.tag ?? 'f43-updates',
      user: 'bodhi',
      version,
      owner: 'releng',
      release,
    },
    priority: 0,
    queue: null,
  };
}

/** The whole seconds of a message's `sent-at` (datagrepper stores messages by it). */
export function sentSecond(message: WireMessage): number {
  return Math.floor(Date.parse(String(message.headers['sent-at'])) / 1000);
}
