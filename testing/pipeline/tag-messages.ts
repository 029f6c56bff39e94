/**
 * Koji `buildsys.tag` messages in the fedora-messaging wire format (as `hosts/local/demo/demo-messages.ts`
 * makes them, and as Koji sends them when a build lands in a tag).
 */
export interface TagMessage {
  readonly id: string;
  readonly topic: string;
  readonly headers: Record<string, string | number>;
  readonly body: Record<string, unknown>;
}

export interface TaggedBuild {
  readonly name: string;
  readonly version: string;
  readonly release: string;
  /** Default `f43-updates`, the stable tag of the branch the fixture distro follows. */
  readonly tag?: string;
}

let nextBuildId = 3_100_000;

/** One tag message; `sentAt` defaults to now (with the bench's debounce of 0 it is planned at once). */
export function tagMessage(id: string, build: TaggedBuild, sentAt: Date = new Date()): TagMessage {
  return {
    id,
    topic: 'org.fedoraproject.prod.buildsys.tag',
    headers: {
      fedora_messaging_schema: 'koji_fedoramessaging.tag.TagV1',
      fedora_messaging_severity: 20,
      'sent-at': sentAt.toISOString(),
    },
    body: {
      build_id: nextBuildId++,
      name: build.name,
      tag_id: 6446,
      instance: 'primary',
      tag: build.tag ?? 'f43-updates',
      user: 'bodhi',
      version: build.version,
      owner: 'bench',
      release: build.release,
    },
  };
}
