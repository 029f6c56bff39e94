import { CloudEvent, HTTP } from 'cloudevents';
import { describe, expect, it } from 'vitest';
import {
  cloudEventSchemaOf,
  eventTypes,
  parseCloudEvent,
  STRUCTURED_CONTENT_TYPE,
  toCloudEvent,
} from '../../../shared/events';
import { thrownPipelineError } from '../../../testing/failures';
import { sampleEvents } from '../../../testing/fixtures/pipeline-events';

const INSTANCE = 'lab-eu-1';

/** What a receiver does with a structured-mode delivery: the cloudevents SDK reads the body and validates it. */
function received(body: string): CloudEvent<unknown> {
  const event = HTTP.toEvent({ headers: { 'content-type': STRUCTURED_CONTENT_TYPE }, body });
  if (Array.isArray(event)) throw new Error('expected one event, not a batch');
  return event as CloudEvent<unknown>;
}

describe('toCloudEvent', () => {
  it.each(eventTypes)(
    '%s: a receiver parses it with the cloudevents SDK and sees every attribute',
    (type) => {
      const event = sampleEvents[type];
      const cloudEvent = toCloudEvent(event, INSTANCE);
      const parsed = received(JSON.stringify(cloudEvent));

      expect(parsed.validate()).toBe(true);
      expect(parsed.specversion).toBe('1.0');
      expect(parsed.type).toBe(`com.azurelinux.rebuilder.${type}`);
      expect(parsed.source).toBe('urn:azl-rebuilder:lab-eu-1');
      expect(parsed.id).toBe(event.id);
      expect(parsed.subject).toBe(event.subject);
      expect(parsed.time).toBe(event.time);
      expect(parsed.datacontenttype).toBe('application/json');
      expect(parsed.dataschema).toBe(`urn:azl-rebuilder:events:${type}:v1`);
      expect(parsed.data).toEqual(event.data);
      // No extension attributes: exactly the CloudEvents context attributes and the data.
      expect(Object.keys(cloudEvent).sort()).toEqual(
        [
          'data',
          'datacontenttype',
          'dataschema',
          'id',
          'source',
          'specversion',
          'subject',
          'time',
          'type',
        ].sort(),
      );
      // The envelope schema (the one in docs/events.schema.json) accepts it, and it reads back as it was.
      expect(cloudEventSchemaOf(type).safeParse(cloudEvent).success).toBe(true);
      expect(parseCloudEvent(JSON.parse(JSON.stringify(cloudEvent)))).toEqual(cloudEvent);
    },
  );

  it('is the same object for the same event: a re-send is byte for byte the same body', () => {
    const event = sampleEvents['repo.published'];
    expect(JSON.stringify(toCloudEvent(event, INSTANCE))).toBe(JSON.stringify(toCloudEvent(event, INSTANCE)));
  });

  it('builds what the SDK itself would build from the same attributes', () => {
    const event = sampleEvents['build.failed'];
    const ours = toCloudEvent(event, INSTANCE);
    const theirs = new CloudEvent({ ...ours });
    expect(JSON.parse(HTTP.structured(theirs).body as string)).toEqual(ours);
  });
});

describe('parseCloudEvent', () => {
  const good = toCloudEvent(sampleEvents['build.succeeded'], INSTANCE);

  it('refuses a type outside the catalogue and data that does not fit its type', () => {
    expect(
      thrownPipelineError(
        () => parseCloudEvent({ ...good, type: 'com.azurelinux.rebuilder.build.exploded' }),
        'events.invalid-payload',
      ).message,
    ).toMatch(/not a pipeline event type: "com\.azurelinux\.rebuilder\.build\.exploded"/);
    expect(
      thrownPipelineError(
        () => parseCloudEvent({ ...good, data: { ...good.data, nevras: undefined } }),
        'events.invalid-payload',
      ).message,
    ).toMatch(/^build\.succeeded: data\.nevras: /);
    expect(
      thrownPipelineError(() => parseCloudEvent({ ...good, specversion: '0.3' }), 'events.invalid-payload')
        .message,
    ).toMatch(/specversion/);
    expect(() => parseCloudEvent('not an event')).toThrow(/not a pipeline event type/);
  });
});
