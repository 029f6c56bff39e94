import { describe, expect, it } from 'vitest';
import { parseBridgeConfig, rebuildRoutingKeys } from '../../../infra/fedora-bridge';
import {
  bridgeRoutingKeys,
  catchUpTopics,
  fedoraEnvironments,
  rebuildTopicNames,
  rebuildTopicNamespaces,
} from '../../../shared/fedora/rebuild-topics';
import { routeTopic } from '../../../shared/fedora/topic-routing';

/** The full names the one definition stands for, spelled out here rather than computed by the module. */
const expectedNames = (environment: string): string[] =>
  Object.entries(rebuildTopicNamespaces).map(([topic, namespace]) =>
    namespace === 'anitya'
      ? `org.release-monitoring.${environment}.${topic}`
      : `org.fedoraproject.${environment}.${topic}`,
  );

describe('one list of Fedora topics (shared/fedora/rebuild-topics.ts)', () => {
  it("the bridge's default bindings and the catch-up's filter are both that list, topic for topic", () => {
    const bindings = parseBridgeConfig({}).bindings;
    expect(bindings).toEqual(expectedNames('prod'));
    expect(rebuildRoutingKeys('prod')).toEqual(bindings);
    expect(bridgeRoutingKeys('stg')).toEqual(expectedNames('stg'));
    expect(catchUpTopics()).toEqual(bindings);
  });

  it('names exact topics only: no AMQP pattern, which datagrepper would not understand', () => {
    for (const topic of [...bridgeRoutingKeys('prod'), ...catchUpTopics()]) {
      expect(topic).not.toMatch(/[*#]/);
    }
    // The five Bodhi requests a `bodhi.update.request.*` binding once stood for, each by name.
    expect(rebuildTopicNames.filter((t) => t.startsWith('bodhi.update.request.'))).toHaveLength(5);
  });

  it('every listed topic, in every environment, reaches a handler of the normalizer', () => {
    for (const environment of fedoraEnvironments) {
      for (const topic of bridgeRoutingKeys(environment)) {
        expect(routeTopic(topic).type, topic).toBe('handler');
      }
    }
  });

  it('a topic outside the list has no handler, however close to one', () => {
    for (const topic of [
      'org.fedoraproject.prod.buildsys.rpm.sign',
      'org.fedoraproject.prod.bodhi.update.request',
      'org.fedoraproject.prod.koschei.collection.state.change',
    ]) {
      expect(routeTopic(topic).type, topic).toBe('ignored');
    }
  });
});
