import type { Message as AmqpMessage } from 'rhea';
import { describe, expect, test } from 'vitest';
import { BrokerError } from '../../../../infra/local/broker/broker-error';
import type { CorrelationFields } from '../../../../infra/local/broker/subscription-rules';
import { sqlAction, sqlFilter, SubscriptionRules } from '../../../../infra/local/broker/subscription-rules';

/** A topic message as the SDK sends it (AMQP properties and application properties). */
const message: AmqpMessage = {
  message_id: 'm-1',
  correlation_id: 'c-1',
  to: 'to-1',
  reply_to: 'reply-1',
  subject: 'label-1',
  group_id: 'session-1',
  reply_to_group_id: 'reply-session-1',
  content_type: 'application/json',
  application_properties: { color: 'blue', size: 3 },
  body: 'x',
};

const NOW = Date.parse('2026-01-01T00:00:00Z');
const only = (fields: CorrelationFields) =>
  new SubscriptionRules('t/subscriptions/s', [
    { name: 'r', filter: { kind: 'correlation', fields }, action: undefined },
  ]);
const copies = (rules: SubscriptionRules) => rules.copiesOf(message, NOW);

describe('correlation filters read each system property where the AMQP message carries it', () => {
  test.each<[keyof CorrelationFields, string]>([
    ['messageId', 'm-1'],
    ['correlationId', 'c-1'],
    ['to', 'to-1'],
    ['replyTo', 'reply-1'],
    ['subject', 'label-1'],
    ['sessionId', 'session-1'],
    ['replyToSessionId', 'reply-session-1'],
    ['contentType', 'application/json'],
  ])('%s', (field, value) => {
    expect(copies(only({ [field]: value }))).toEqual([message]);
    expect(copies(only({ [field]: `${value}-other` }))).toEqual([]);
    expect(copies(only({ [field]: value.toUpperCase() }))).toEqual([]);
  });

  test('every field given must match, application properties by value; null fields match anything', () => {
    expect(
      copies(only({ subject: 'label-1', applicationProperties: { color: 'blue', size: 3 } })),
    ).toHaveLength(1);
    expect(copies(only({ subject: 'label-1', applicationProperties: { size: '3' } }))).toEqual([]);
    expect(copies(only({ to: null, applicationProperties: null }))).toHaveLength(1);
  });
});

describe('SQL filters see system properties by their Service Bus names', () => {
  test.each([
    "sys.MessageId = 'm-1' AND sys.CorrelationId = 'c-1' AND sys.To = 'to-1' AND sys.ReplyTo = 'reply-1'",
    "sys.Label = 'label-1' AND sys.SessionId = 'session-1' AND sys.ReplyToSessionId = 'reply-session-1'",
    "sys.ContentType = 'application/json' AND sys.SequenceNumber IS NULL AND sys.EnqueuedTimeUtc IS NOT NULL",
  ])('%s', (expression) => {
    const rules = new SubscriptionRules('t/subscriptions/s', [
      { name: 'r', filter: sqlFilter(expression), action: undefined },
    ]);
    expect(copies(rules)).toEqual([message]);
  });
});

describe('a rule action', () => {
  test('changes only its own copy, never the message other subscriptions get', () => {
    const rules = new SubscriptionRules('t/subscriptions/s', [
      {
        name: 'relabel',
        filter: { kind: 'true' },
        action: sqlAction("SET sys.Label = 'new'; SET color = 'red'"),
      },
    ]);
    const [copy] = copies(rules);
    expect(copy).toMatchObject({
      subject: 'new',
      application_properties: { color: 'red', size: 3, RuleName: 'relabel' },
    });
    expect(message.subject).toBe('label-1');
    expect(message.application_properties).toEqual({ color: 'blue', size: 3 });
  });
});

describe('rule names', () => {
  test('are unique regardless of case; removing an unknown one is entity-not-found', () => {
    const rules = new SubscriptionRules('t/subscriptions/s');
    expect(() => rules.add({ name: '$default', filter: { kind: 'false' }, action: undefined })).toThrow(
      /already exists/,
    );
    const missing = (() => {
      try {
        rules.remove('nope');
      } catch (error) {
        return error;
      }
    })();
    expect(missing).toBeInstanceOf(BrokerError);
    expect((missing as BrokerError).condition).toBe('amqp:not-found');
    rules.remove('$DEFAULT');
    expect(rules.list()).toEqual([]);
  });

  test('a malformed SQL filter is an argument error that names the column', () => {
    const error = (() => {
      try {
        sqlFilter('a = = 1');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(BrokerError);
    expect((error as BrokerError).condition).toBe('com.microsoft:argument-error');
    expect((error as BrokerError).message).toContain('column=5');
  });
});
