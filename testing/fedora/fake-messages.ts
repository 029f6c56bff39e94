import type { FakeMessage } from './fake-datagrepper';

/** 2025-11-17T14:00:00Z, a second the fixtures of shared/fixtures/fedora-messages come from. */
export const T0 = 1_763_388_000;

/**
 * A datagrepper v2 item shaped like the real ones (shared/fixtures/fedora-messages/buildsys.build.state.change/1.json:
 * `body`, `headers` with `sent-at` in whole seconds, `id`, `priority`, `queue`, `topic`), for a Koji tag message.
 * `n` makes the id (a UUID4-shaped string) and the build unique.
 */
export function fedoraMessage(
  second: number,
  n: number,
  topic = 'org.fedoraproject.prod.buildsys.tag',
): FakeMessage {
  const id = `${n.toString(16).padStart(8, '0')}-7324-4140-bc99-${second.toString(16).padStart(12, '0')}`;
  const sentAt = new Date(second * 1000).toISOString().replace('.000Z', '+00:00');
  return {
    id,
    second,
    item: {
      body: {
        build_id: 2_860_000 + n,
        name: `pkg${n}`,
        version: '1.0',
        release: '1.fc44',
        tag: 'f44',
        tag_id: 1234,
        instance: 'primary',
        owner: 'releng',
        user: 'bodhi',
      },
      headers: {
        fedora_messaging_schema: 'koji_fedoramessaging.tag.TagV1',
        fedora_messaging_severity: 20,
        [`fedora_messaging_rpm_pkg${n}`]: true,
        priority: 2,
        'sent-at': sentAt,
      },
      id,
      priority: 2,
      queue: null,
      topic,
    },
  };
}

/** `count` messages spread evenly over the seconds `from`..`to`; ids numbered from `firstN`. */
export function messagesOver(from: number, to: number, count: number, firstN = 0): FakeMessage[] {
  const span = to - from + 1;
  return Array.from({ length: count }, (_, i) =>
    fedoraMessage(from + Math.floor((i * span) / count), firstN + i),
  );
}

/** `count` messages all sent in the same second (a mass-rebuild tagging burst). */
export function burst(second: number, count: number, firstN: number): FakeMessage[] {
  return Array.from({ length: count }, (_, i) => fedoraMessage(second, firstN + i));
}
