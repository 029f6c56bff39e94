import { describe, expect, test } from 'vitest';
import { PipelineError } from '../../../shared/errors';
import type { NormalizeOutcome, UpstreamEvent } from '../../../shared/fedora/upstream-event';
import { IngestService } from '../../../shared/ingest/ingest-service';
import { CUT_MARKER, MAX_MESSAGE_DEPTH, pathDeeperThan } from '../../../shared/fedora/nesting-depth';
import type {
  Delivery,
  DuplicateDelivery,
  EventQueue,
  IngestLedger,
  QuarantineEntry,
} from '../../../shared/ingest/ports';
import { METRICS } from '../../../shared/telemetry/catalogue';
import { recordingTelemetry } from '../../../testing/fakes/telemetry';
import type { RecordedMetric } from '../../../testing/fakes/telemetry';

const countOf = (m: RecordedMetric): string => `${m.dimensions.source}:${m.dimensions.outcome}:${m.value}`;

/** Fakes at the ports: they keep what they were given. */
class MemoryQueue implements EventQueue {
  readonly sent: UpstreamEvent[] = [];
  failNext: Error | undefined;
  async enqueue(events: readonly UpstreamEvent[]): Promise<void> {
    if (this.failNext) throw this.failNext;
    this.sent.push(...events);
  }
}

class MemoryLedger implements IngestLedger {
  readonly ids = new Map<string, string>();
  readonly duplicates: DuplicateDelivery[] = [];
  /** Runs between `known` and `record`: what a concurrent delivery does in that gap. */
  beforeRecord: (() => void) | undefined;
  async known(ids: readonly string[]): Promise<Set<string>> {
    return new Set(ids.filter((id) => this.ids.has(id)));
  }
  async record(events: readonly UpstreamEvent[], delivery: Delivery): Promise<Set<string>> {
    this.beforeRecord?.();
    const lost = new Set<string>();
    for (const event of events) {
      if (this.ids.has(event.messageId)) lost.add(event.messageId);
      else this.ids.set(event.messageId, delivery.source);
    }
    return lost;
  }
  async recordDuplicates(duplicates: readonly DuplicateDelivery[]): Promise<void> {
    this.duplicates.push(...duplicates);
  }
}

const event = (id: string): UpstreamEvent => ({
  messageId: id,
  topic: 'org.fedoraproject.prod.buildsys.tag',
  kind: 'tagged',
  packages: ['bash'],
  builds: [{ name: 'bash', version: '5.2', release: '1.fc43', nvr: 'bash-5.2-1.fc43' }],
  tag: 'f43-updates',
  release: 'f43',
  time: '2026-11-25T10:00:00.000Z',
  severity: 'info',
});

/** A stand-in normalizer: the message says what it should become. */
const normalize = (message: unknown): NormalizeOutcome => {
  const m = message as { id: string; as: 'accepted' | 'ignored' | 'rejected' };
  if (m.as === 'accepted') return { outcome: 'accepted', id: m.id, topic: 't', event: event(m.id) };
  if (m.as === 'ignored') return { outcome: 'ignored', id: m.id, topic: 't', reason: 'scratch build' };
  return { outcome: 'rejected', id: m.id, topic: 't', reason: 'Required', path: 'body.build_id' };
};

function setup() {
  const queue = new MemoryQueue();
  const ledger = new MemoryLedger();
  const quarantined: QuarantineEntry[] = [];
  const recorded = recordingTelemetry();
  const counts = (): string[] => recorded.metricsNamed(METRICS.ingestMessages.name).map(countOf);
  const service = new IngestService({
    normalize,
    queue,
    ledger,
    quarantine: { keep: async (entry) => (quarantined.push(entry), `q/${quarantined.length}`) },
    telemetry: recorded.telemetry,
    clock: () => new Date('2026-11-25T12:00:00Z'),
  });
  return { service, queue, ledger, quarantined, counts, recorded };
}

describe('IngestService', () => {
  test('quarantines a rejected message nested thousands deep cut at the depth its readers can walk', async () => {
    const { service, quarantined } = setup();
    let deep: unknown = 'bottom';
    for (let i = 0; i < 20_000; i += 1) deep = [deep];
    const results = await service.submit([{ id: 'r1', as: 'rejected', body: deep }], 'http');
    expect(results[0]).toMatchObject({ id: 'r1', outcome: 'rejected' });
    const kept = quarantined[0]?.message as { id: string; body: unknown };
    expect(kept.id).toBe('r1');
    expect(pathDeeperThan(kept, MAX_MESSAGE_DEPTH)).toBeUndefined();
    expect(JSON.stringify(kept)).toContain(CUT_MARKER); // serializable: the quarantine writes it as JSON
  });

  test('queues accepted events, reports ignored ones, quarantines rejected ones whole', async () => {
    const { service, queue, quarantined, counts } = setup();
    const rejected = { id: 'r1', as: 'rejected', extra: { whole: true } };
    const results = await service.submit(
      [{ id: 'a1', as: 'accepted' }, { id: 'i1', as: 'ignored' }, rejected],
      'http',
    );
    expect(results).toEqual([
      { id: 'a1', topic: 't', outcome: 'accepted' },
      { id: 'i1', topic: 't', outcome: 'ignored', reason: 'scratch build' },
      { id: 'r1', topic: 't', outcome: 'rejected', reason: 'Required (at body.build_id)' },
    ]);
    expect(queue.sent.map((e) => e.messageId)).toEqual(['a1']);
    expect(quarantined).toEqual([
      {
        receivedAt: '2026-11-25T12:00:00.000Z',
        source: 'http',
        id: 'r1',
        topic: 't',
        reason: 'Required',
        path: 'body.build_id',
        message: rejected,
      },
    ]);
    expect(counts().sort()).toEqual(['http:accepted:1', 'http:ignored:1', 'http:rejected:1']);
  });

  test('a message accepted before, or twice in one batch, is a duplicate and is not queued again', async () => {
    const { service, queue, ledger } = setup();
    await service.submit([{ id: 'a1', as: 'accepted' }], 'datagrepper');
    const results = await service.submit(
      [
        { id: 'a1', as: 'accepted' },
        { id: 'a2', as: 'accepted' },
        { id: 'a2', as: 'accepted' },
      ],
      'amqp-bridge',
    );
    expect(results.map((r) => [r.id, r.outcome, r.reason])).toEqual([
      ['a1', 'duplicate', 'accepted before'],
      ['a2', 'accepted', undefined],
      ['a2', 'duplicate', 'repeated in this batch'],
    ]);
    expect(queue.sent.map((e) => e.messageId)).toEqual(['a1', 'a2']);
    expect(ledger.ids).toEqual(
      new Map([
        ['a1', 'datagrepper'],
        ['a2', 'amqp-bridge'],
      ]),
    );
    expect(ledger.duplicates.map((d) => [d.messageId, d.source, d.reason])).toEqual([
      ['a1', 'amqp-bridge', 'accepted before'],
      ['a2', 'amqp-bridge', 'repeated in this batch'],
    ]);
  });

  test('of two deliveries racing past the ledger check, the one that records second is a duplicate', async () => {
    const { service, ledger, counts } = setup();
    // The bridge's delivery records the message between this delivery's check and its record.
    ledger.beforeRecord = () => {
      ledger.beforeRecord = undefined;
      ledger.ids.set('a1', 'amqp-bridge');
    };
    const results = await service.submit([{ id: 'a1', as: 'accepted' }], 'http');
    expect(results).toEqual([
      { id: 'a1', topic: 't', outcome: 'duplicate', reason: 'accepted concurrently by another delivery' },
    ]);
    expect(ledger.ids.get('a1')).toBe('amqp-bridge');
    expect(ledger.duplicates).toMatchObject([{ messageId: 'a1', source: 'http' }]);
    expect(counts()).toEqual(['http:duplicate:1']);
  });

  test('when the queue fails nothing is recorded, so the same messages are accepted on the retry', async () => {
    const { service, queue, ledger } = setup();
    queue.failNext = PipelineError.transient('servicebus.unavailable', 'down');
    await expect(service.submit([{ id: 'a1', as: 'accepted' }], 'http')).rejects.toMatchObject({
      code: 'servicebus.unavailable',
      retryable: true,
    });
    expect(ledger.ids.size).toBe(0);
    queue.failNext = undefined;
    const results = await service.submit([{ id: 'a1', as: 'accepted' }], 'http');
    expect(results[0]?.outcome).toBe('accepted');
    expect(queue.sent).toHaveLength(1);
  });

  test('counts by outcome, source and topic family, inside one ingest span per submission', async () => {
    const { service, recorded } = setup();
    await service.submit(
      [
        { id: 'a1', as: 'accepted' },
        { id: 'i1', as: 'ignored' },
      ],
      'replay',
    );
    expect(recorded.metricsNamed(METRICS.ingestMessages.name)).toEqual([
      {
        name: 'azl.ingest.messages',
        value: 1,
        dimensions: { outcome: 'accepted', source: 'replay', topic: 't' },
      },
      {
        name: 'azl.ingest.messages',
        value: 1,
        dimensions: { outcome: 'ignored', source: 'replay', topic: 't' },
      },
    ]);
    expect(recorded.spans).toMatchObject([
      {
        name: 'ingest',
        ended: true,
        attributes: { 'azl.ingest.source': 'replay', 'azl.ingest.accepted': 1, 'messaging.message.id': 'a1' },
      },
    ]);
  });
});
