import { describe, expect, test } from 'vitest';
import { BlobQuarantine } from '../../../infra/ingest/blob-quarantine';
import { ServiceBusEventQueue, serviceBusMessageId } from '../../../infra/ingest/service-bus-event-queue';
import { TableIngestLedger } from '../../../infra/ingest/table-ingest-ledger';
import type { UpstreamEvent } from '../../../shared/fedora/upstream-event';
import { queues } from '../../../shared/messaging/entities';
import { ingestDuplicatesTable, quarantineContainer } from '../../../shared/storage';
import { useAzurite } from '../../../testing/azurite';
import { useLocalBroker } from '../../../testing/broker/local-broker';

const azurite = useAzurite();

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

describe('TableIngestLedger on Azurite', () => {
  test('remembers accepted ids, including ids with characters Tables keys forbid, and tolerates a second record', async () => {
    const ledger = new TableIngestLedger(azurite.tables);
    const id = `2026-${Date.now()}/odd#id?with\\slashes`;
    expect(await ledger.known([id])).toEqual(new Set());
    const delivery = { source: 'http', receivedAt: '2026-11-25T12:00:00.000Z' } as const;
    expect(await ledger.record([event(id)], delivery)).toEqual(new Set());
    // A second record of the same id (a concurrent delivery) is told it lost.
    expect(await ledger.record([event(id)], { ...delivery, source: 'amqp-bridge' })).toEqual(new Set([id]));
    expect(await ledger.known([id, 'never-seen'])).toEqual(new Set([id]));
  });

  test('keeps one duplicate row per message and source, the latest delivery', async () => {
    const tables = azurite.tables;
    const ledger = new TableIngestLedger(tables);
    const id = `dup-${Date.now()}`;
    const duplicate = (source: 'http' | 'datagrepper', receivedAt: string) => ({
      messageId: id,
      topic: 't',
      source,
      receivedAt,
      reason: 'accepted before',
    });
    await ledger.recordDuplicates([duplicate('http', '2026-11-25T12:00:00.000Z')]);
    await ledger.recordDuplicates([
      duplicate('http', '2026-11-25T13:00:00.000Z'),
      duplicate('datagrepper', '2026-11-25T13:00:01.000Z'),
    ]);
    const rows = await tables.query<{ messageId: string; source: string; receivedAt: string }>(
      ingestDuplicatesTable.name,
      { filter: `messageId eq '${id}'` },
    );
    expect(rows.items.map((r) => [r.entity.source, r.entity.receivedAt]).sort()).toEqual([
      ['datagrepper', '2026-11-25T13:00:01.000Z'],
      ['http', '2026-11-25T13:00:00.000Z'],
    ]);
  });
});

describe('BlobQuarantine on Azurite', () => {
  test('keeps the whole message with its reason, under the day and source', async () => {
    const blobs = azurite.blobs;
    const quarantine = new BlobQuarantine(blobs);
    const message = { id: 'bad-1', topic: 'x', body: { nested: ['kept', 'as is'] } };
    const name = await quarantine.keep({
      receivedAt: '2026-11-25T12:00:00.000Z',
      source: 'http',
      id: 'bad-1',
      topic: 'x',
      reason: 'Invalid input: expected number, received string',
      path: 'body.build_id',
      message,
    });
    expect(name).toMatch(/^2026-11-25\/http\/[0-9a-f]{16}-[0-9a-f-]{36}\.json$/);
    const stored = await blobs.get(quarantineContainer.name, name);
    expect(JSON.parse(stored!.bytes.toString('utf8'))).toMatchObject({ message, path: 'body.build_id' });
    expect(stored!.metadata).toMatchObject({ source: 'http', path: 'body.build_id' });
  });

  test('keeps a deeply nested message in about its own size (indenting it grew with the square of its depth)', async () => {
    const quarantine = new BlobQuarantine(azurite.blobs);
    let body: unknown = 'bottom';
    for (let i = 0; i < 2_000; i++) body = i % 2 ? [body] : { nested: body };
    const message = { id: 'deep-1', topic: 'x', body };
    const name = await quarantine.keep({
      receivedAt: '2026-11-25T12:00:00.000Z',
      source: 'http',
      id: 'deep-1',
      topic: 'x',
      reason: 'Invalid input: expected object',
      path: 'body',
      message,
    });
    const stored = await azurite.blobs.get(quarantineContainer.name, name);
    const document = JSON.parse(stored!.bytes.toString('utf8')) as { message: unknown };
    // Compared as JSON text: vitest's deep equality recurses past the stack at this depth.
    expect(JSON.stringify(document.message)).toBe(JSON.stringify(message));
    // The message is 13 KB as JSON; the indented document was 8 MB.
    expect(stored!.bytes.length).toBeLessThan(JSON.stringify(message).length + 1_000);
  });
});

describe('ServiceBusEventQueue on the local broker', () => {
  const broker = useLocalBroker({ entities: [queues.ingest] });

  test('queues events with the Fedora id as message id, so a re-send is dropped by duplicate detection', async () => {
    const queue = new ServiceBusEventQueue(broker.client);
    const longId = 'x'.repeat(200);
    await queue.enqueue([event('e1'), event(longId)]);
    await queue.enqueue([event('e1')]);
    const receiver = broker.client.createReceiver(queues.ingest.name, { receiveMode: 'receiveAndDelete' });
    const got = await receiver.receiveMessages(10, { maxWaitTimeInMs: 1_000 });
    expect(got.map((m) => m.messageId)).toEqual(['e1', serviceBusMessageId(longId)]);
    expect(serviceBusMessageId(longId)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(got[0]?.body).toEqual(event('e1'));
    expect(got[0]?.subject).toBe('tagged');
    expect(got[0]?.applicationProperties).toMatchObject({ kind: 'tagged', release: 'f43' });
    await receiver.close();
    await queue.close();
  });
});
