import { describe, expect, test } from 'vitest';
import { toBridgeRecord } from '../../../infra/fedora-bridge';
import type { AmqpDelivery } from '../../../infra/fedora-bridge/wire-message';
import { RAW_CONTENT_LIMIT } from '../../../infra/fedora-bridge/wire-message';

function delivery(content: Buffer, properties: AmqpDelivery['properties'] = {}): AmqpDelivery {
  return { content, fields: { routingKey: 'org.fedoraproject.prod.buildsys.tag' }, properties };
}

describe('AMQP delivery → fedora-messaging wire form', () => {
  test('id from message_id, topic from the routing key, headers JSON-safe, body parsed', () => {
    const record = toBridgeRecord(
      delivery(Buffer.from('{"tag":"f44","build_id":1}'), {
        messageId: 'b1cb6938-bab8-4597-b278-dd45f5491ce8',
        contentType: 'application/json',
        contentEncoding: 'utf-8',
        headers: {
          fedora_messaging_schema: 'koji_fedoramessaging.tag.TagV1',
          fedora_messaging_severity: 20,
          'fedora_messaging_rpm_http-parser': true,
          bytes: Buffer.from('text'),
          binary: Buffer.from([0xff]),
          stamp: { '!': 'timestamp', value: 1718974114 },
          'x-received-from': [{ 'cluster-name': 'rabbit@a', redelivered: false }],
        },
      }),
    );
    expect(record).toEqual({
      id: 'b1cb6938-bab8-4597-b278-dd45f5491ce8',
      topic: 'org.fedoraproject.prod.buildsys.tag',
      headers: {
        fedora_messaging_schema: 'koji_fedoramessaging.tag.TagV1',
        fedora_messaging_severity: 20,
        'fedora_messaging_rpm_http-parser': true,
        bytes: 'text',
        binary: { base64: '/w==' },
        stamp: 1718974114,
        'x-received-from': [{ 'cluster-name': 'rabbit@a', redelivered: false }],
      },
      body: { tag: 'f44', build_id: 1 },
    });
  });

  test('content that is not JSON is kept, cut at the limit without splitting a character', () => {
    const text = `${'é'.repeat(RAW_CONTENT_LIMIT)}`; // 2 bytes each: twice the limit
    const record = toBridgeRecord(delivery(Buffer.from(text), { messageId: 'x' }));
    expect(record).toMatchObject({ id: 'x', bridgeProblem: { reason: 'body-not-json', truncated: true } });
    const shown = (record as { bridgeProblem: { text: string; bytes: number } }).bridgeProblem;
    expect(shown.bytes).toBe(RAW_CONTENT_LIMIT * 2);
    expect(shown.text).toBe('é'.repeat(RAW_CONTENT_LIMIT / 2));
  });

  test('no headers and an empty message_id: a raw record with the body, no id', () => {
    const record = toBridgeRecord(delivery(Buffer.from('{}'), { messageId: '' }));
    expect(record).toEqual({
      topic: 'org.fedoraproject.prod.buildsys.tag',
      headers: {},
      body: {},
      bridgeProblem: {
        reason: 'missing-id',
        detail: 'the AMQP message has no message_id property',
        bytes: 2,
      },
    });
  });
});
