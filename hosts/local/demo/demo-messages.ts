/**
 * The demo's replay: Fedora messages in the real fedora-messaging wire format (`buildsys.tag`, as Koji sends
 * them when a build lands in `f43-updates`) announcing new builds of the small Fedora's packages, plus what a
 * real stream also holds: a package the distribution does not carry, a message delivered twice, and one
 * that is malformed.
 */
export interface DemoMessage {
  readonly id: string;
  readonly topic: string;
  readonly headers: Record<string, string | number>;
  readonly body: Record<string, unknown>;
}

const VERSIONS: Record<string, [string, string]> = {
  'azl-hello-lib': ['1.0', '3.fc43'],
  'azl-hello-tool': ['1.0', '1.fc43'],
  'azl-greeter': ['2.1', '2.fc43'],
};

export function demoMessages(packages: readonly string[], now = new Date()): DemoMessage[] {
  const runId = now.getTime().toString(36);
  const sentAt = new Date(now.getTime() - 120_000).toISOString();
  let buildId = 2_900_000;
  const tagged = (name: string, [version, release]: [string, string], tag = 'f43-updates'): DemoMessage => ({
    id: `demo-${runId}-${name}-${tag}`,
    topic: 'org.fedoraproject.prod.buildsys.tag',
    headers: {
      fedora_messaging_schema: 'koji_fedoramessaging.tag.TagV1',
      fedora_messaging_severity: 20,
      'sent-at': sentAt,
    },
    body: {
      build_id: buildId++,
      name,
      tag_id: 6446,
      instance: 'primary',
      tag,
      user: 'bodhi',
      version,
      owner: 'demo',
      release,
    },
  });
  const relevant = packages.map((name) => tagged(name, VERSIONS[name] ?? ['1.0', '1.fc43']));
  const first = relevant[0];
  return [
    ...relevant,
    tagged('bash', ['5.3.0', '2.fc43']), // not in the distribution: ignored by the planner
    tagged('azl-greeter', ['2.1', '3.fc42'], 'f42-updates'), // another release: skipped
    ...(first ? [first] : []), // delivered twice: a duplicate
    {
      ...tagged('azl-hello-lib', ['1.0', '4.fc43']),
      id: `demo-${runId}-malformed`,
      body: { name: 'azl-hello-lib', build_id: 'not a number' },
    },
  ];
}
