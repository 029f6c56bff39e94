import type { StructuredCloudEvent } from '../../shared/webhooks/delivery-request';

/**
 * A CloudEvent in structured mode shaped as the event catalogue makes them (a `build.succeeded`), for the
 * tests of the delivery request: it stands in until the catalogue's `toCloudEvent` exists.
 */
export function sampleCloudEvent(overrides: Partial<StructuredCloudEvent> = {}): StructuredCloudEvent {
  return {
    specversion: '1.0',
    id: 'bld_01JEX7Q8ZK4V3N6M2P9R5T7W0Y',
    source: '/azl-rebuilder/local',
    type: 'com.azurelinux.rebuilder.build.succeeded',
    subject: 'kernel',
    time: '2026-12-06T07:00:00.000Z',
    datacontenttype: 'application/json',
    data: { component: 'kernel', buildId: 'bld_01JEX7Q8ZK4V3N6M2P9R5T7W0Y', summary: 'kernel — built ✓' },
    ...overrides,
  };
}
