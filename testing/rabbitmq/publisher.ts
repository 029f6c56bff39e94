import { randomUUID } from 'node:crypto';
import { connect } from 'amqplib';
import type { ChannelModel, ConfirmChannel, Options } from 'amqplib';

/** A Fedora message as published: what the AMQP properties and content will carry. */
export interface PublishedMessage {
  /** The AMQP `message_id`; omitted = none (a misbehaving publisher). */
  readonly id?: string;
  readonly topic: string;
  readonly headers: Record<string, unknown>;
  /** JSON-encoded as the content, unless `content` is given. */
  readonly body?: unknown;
  /** Raw content instead of `JSON.stringify(body)`. */
  readonly content?: Buffer;
}

/** The AMQP properties fedora-messaging sets (research note §1.1): JSON, UTF-8, persistent, id, headers. */
export function fedoraProperties(message: PublishedMessage): Options.Publish {
  return {
    contentType: 'application/json',
    contentEncoding: 'utf-8',
    deliveryMode: 2,
    ...(message.id === undefined ? {} : { messageId: message.id }),
    headers: message.headers,
  };
}

/** `sent-at` as fedora-messaging writes it: ISO 8601 with offset, no fractional seconds. */
export function sentAt(date = new Date()): string {
  return `${date.toISOString().slice(0, 19)}+00:00`;
}

/** A body-only fixture wrapped as a fedora-messaging publisher would wrap it. */
export function envelope(topic: string, schema: string, body: unknown): PublishedMessage {
  return {
    id: randomUUID(),
    topic,
    headers: { fedora_messaging_schema: schema, fedora_messaging_severity: 20, 'sent-at': sentAt() },
    body,
  };
}

/**
 * Publishes to `amq.topic` on a confirm channel and waits for the broker's confirms, so "published" means
 * "the broker has it". `reopen()` connects again after a broker restart.
 */
export class TestPublisher {
  private constructor(
    private readonly url: string,
    private connection: ChannelModel,
    private channel: ConfirmChannel,
  ) {}

  static async open(url: string): Promise<TestPublisher> {
    const [connection, channel] = await TestPublisher.connect(url);
    return new TestPublisher(url, connection, channel);
  }

  private static async connect(url: string): Promise<[ChannelModel, ConfirmChannel]> {
    const connection = await connect(url);
    connection.on('error', () => undefined);
    const channel = await connection.createConfirmChannel();
    channel.on('error', () => undefined);
    return [connection, channel];
  }

  async reopen(): Promise<void> {
    await this.close();
    [this.connection, this.channel] = await TestPublisher.connect(this.url);
  }

  async publish(...messages: PublishedMessage[]): Promise<void> {
    for (const message of messages) {
      const content = message.content ?? Buffer.from(JSON.stringify(message.body), 'utf8');
      this.channel.publish('amq.topic', message.topic, content, fedoraProperties(message));
    }
    await this.channel.waitForConfirms();
  }

  /** A durable queue bound to every topic: a ledger of what the broker accepted, kept across restarts. */
  async declareLedger(name: string): Promise<void> {
    await this.channel.assertQueue(name, { durable: true, exclusive: false, autoDelete: false });
    await this.channel.bindQueue(name, 'amq.topic', '#');
  }

  async ledgerCount(name: string): Promise<number> {
    return (await this.channel.checkQueue(name)).messageCount;
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }
}
