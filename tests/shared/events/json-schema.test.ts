import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventTypes, pipelineEvent, toCloudEvent } from '../../../shared/events';
import { sampleEvents } from '../../../testing/fixtures/pipeline-events';

/**
 * docs/events.schema.json as a receiver uses it: compiled by Ajv for draft 2020-12 in strict mode (an unknown
 * keyword or format is an error, not something silently skipped), then applied to the CloudEvents the pipeline
 * sends, as they arrive on the wire (JSON text parsed back).
 */
const SCHEMA_FILE = join(__dirname, '..', '..', '..', 'docs', 'events.schema.json');
const INSTANCE = 'lab-eu-1';

/** RFC 3339 date-time (`format: date-time`), with the offset required as JSON Schema requires it. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;

/**
 * A strict Ajv with the formats the schema uses. The ajv-formats package is what a receiver would add; it is
 * not a dependency here, so the two formats are defined to the same rules. Strict mode still refuses any other
 * format, so a new one in the schema fails this test until it is defined.
 */
function strictAjv(): Ajv2020 {
  return new Ajv2020({
    strict: true,
    allErrors: true,
    formats: {
      'date-time': (value: string) => RFC3339.test(value) && !Number.isNaN(Date.parse(value)),
      uri: (value: string) => URL.canParse(value),
    },
  });
}

const schemaFile = (): Record<string, unknown> =>
  JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;

/** What arrives: the structured-mode body, serialized and parsed back. */
const onTheWire = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

let ajv: Ajv2020;
let validate: ValidateFunction;

beforeAll(() => {
  ajv = strictAjv();
  validate = ajv.compile(schemaFile());
});

/** The schema of one type (its entry under `$defs`), for errors that name that type's fields. */
const validatorOf = (type: string): ValidateFunction => {
  const found = ajv.getSchema(`urn:azl-rebuilder:events#/$defs/${type}`);
  if (!found) throw new Error(`no $defs entry for ${type}`);
  return found;
};

const errorsOf = (validator: ValidateFunction): Pick<ErrorObject, 'instancePath' | 'keyword' | 'params'>[] =>
  (validator.errors ?? []).map(({ instancePath, keyword, params }) => ({ instancePath, keyword, params }));

describe('docs/events.schema.json under strict Ajv (draft 2020-12)', () => {
  it('compiles, and strict mode would refuse a keyword it does not know', () => {
    expect(validate.schema).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema' });
    // Why the generator writes standard keywords only (shared/events/json-schema.ts).
    expect(() => strictAjv().compile({ ...schemaFile(), 'x-version': 1 })).toThrow(
      /strict mode: unknown keyword: "x-version"/,
    );
  });

  it.each(eventTypes)('accepts the CloudEvent of %s the pipeline sends', (type) => {
    const body = onTheWire(toCloudEvent(sampleEvents[type], INSTANCE));
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
    expect(validatorOf(type)(body)).toBe(true);
  });

  it('accepts the optional fields too, their formats checked', () => {
    const disabled = pipelineEvent('webhook.endpoint-disabled', {
      identity: 'ep_2:2026-12-02T09:30:00.000Z',
      subject: 'ep_2',
      time: '2026-12-02T09:30:00.000Z',
      data: {
        endpointId: 'ep_2',
        reason: 'failing',
        detail: 'every attempt failed for 5 days (last: 503)',
        failingSince: '2026-11-27T09:30:00.000Z',
      },
    });
    const body = toCloudEvent(disabled, INSTANCE);
    expect(validate(onTheWire(body)), JSON.stringify(validate.errors)).toBe(true);
    const notATime = { ...body, data: { ...body.data, failingSince: 'last Tuesday' } };
    expect(validate(onTheWire(notATime))).toBe(false);
    expect(validatorOf('webhook.endpoint-disabled')(onTheWire(notATime))).toBe(false);
    expect(errorsOf(validatorOf('webhook.endpoint-disabled'))).toContainEqual({
      instancePath: '/data/failingSince',
      keyword: 'format',
      params: { format: 'date-time' },
    });
  });

  it('refuses an event whose data lacks a required field', () => {
    const failed = toCloudEvent(sampleEvents['build.failed'], INSTANCE);
    const { component: _dropped, ...data } = failed.data;
    const body = onTheWire({ ...failed, data });
    expect(validate(body)).toBe(false);
    expect(validatorOf('build.failed')(body)).toBe(false);
    expect(errorsOf(validatorOf('build.failed'))).toEqual([
      { instancePath: '/data', keyword: 'required', params: { missingProperty: 'component' } },
    ]);
  });

  it('refuses a type outside the catalogue, and a type that does not match its data', () => {
    const failed = toCloudEvent(sampleEvents['build.failed'], INSTANCE);
    expect(validate(onTheWire({ ...failed, type: 'com.azurelinux.rebuilder.build.exploded' }))).toBe(false);
    // No type's schema takes it: each pins its own `type` constant.
    for (const type of eventTypes) {
      expect(
        validatorOf(type)(onTheWire({ ...failed, type: 'com.azurelinux.rebuilder.build.exploded' })),
      ).toBe(false);
    }
    // A build.failed body relabelled as build.succeeded: that type wants state "succeeded" and nevras.
    const relabelled = onTheWire({ ...failed, type: 'com.azurelinux.rebuilder.build.succeeded' });
    expect(validate(relabelled)).toBe(false);
    expect(validatorOf('build.succeeded')(relabelled)).toBe(false);
    expect(errorsOf(validatorOf('build.succeeded'))).toEqual(
      expect.arrayContaining([
        { instancePath: '/data', keyword: 'required', params: { missingProperty: 'nevras' } },
        expect.objectContaining({ instancePath: '/data/state', keyword: 'enum' }),
      ]),
    );
  });

  it('refuses an envelope that is not a CloudEvent of this pipeline', () => {
    const published = toCloudEvent(sampleEvents['repo.published'], INSTANCE);
    const refused = [
      { ...published, specversion: '0.3' },
      { ...published, source: 'https://elsewhere.example.org' },
      { ...published, time: '2026-12-01 12:00' },
      { ...published, data: { ...published.data, revision: '7' } },
      { ...published, data: { ...published.data, baseUrl: 'not a url' } },
    ];
    for (const body of refused) expect(validate(onTheWire(body)), JSON.stringify(body)).toBe(false);
  });
});
