import type { TokenCredential } from '@azure/core-auth';
import { EventGridPublisherClient } from '@azure/eventgrid';
import type { SendCloudEventInput } from '@azure/eventgrid';
import type { PipelineCloudEvent } from '../../shared/events/cloud-event';
import { classifyEventGridError } from './event-grid-errors';

/** The SDK's own retries of 408/429/5xx and network failures, and the limit of one send with them. */
export interface EventGridSendOptions {
  /** Retries after the first attempt; default 3 (the SDK's). */
  readonly maxRetries?: number;
  /** First back-off in ms, doubling per retry; default 800 (the SDK's). */
  readonly retryDelayMs?: number;
  /**
   * The longest one `publish` may take, retries included; default 60 s. An endpoint that never answers would
   * otherwise hold the invocation (and its message lock) until the Functions host's own timeout.
   */
  readonly timeoutMs?: number;
}

export const DEFAULT_EVENT_GRID_TIMEOUT_MS = 60_000;

/**
 * The `eventGrid` port: each pipeline event to an Event Grid topic whose input schema is CloudEvents 1.0
 * (`inputSchema: 'CloudEventSchemaV1_0'`), authenticated with a token for `https://eventgrid.azure.net/.default`
 * from `credential` (the managed identity; the topic has local auth off, so there is no key). What a subscriber
 * of the topic gets is the event as the `events` topic carries it: the same id, source, type, subject,
 * dataschema, datacontenttype and data, and the same instant as `time` (the SDK writes it as UTC with
 * milliseconds, `2026-12-01T12:00:00.000Z`). The SDK sends one event per call here; Service Bus hands the
 * function one message at a time. Failures are PipelineErrors (`classifyEventGridError`).
 */
export class EventGridPublisher {
  private readonly client: EventGridPublisherClient<'CloudEvent'>;
  private readonly topicHost: string;
  private readonly timeoutMs: number;

  constructor(endpoint: string, credential: TokenCredential, retry: EventGridSendOptions = {}) {
    this.client = new EventGridPublisherClient(endpoint, 'CloudEvent', credential, {
      retryOptions: {
        ...(retry.maxRetries === undefined ? {} : { maxRetries: retry.maxRetries }),
        ...(retry.retryDelayMs === undefined ? {} : { retryDelayInMs: retry.retryDelayMs }),
      },
    });
    this.topicHost = new URL(endpoint).host;
    this.timeoutMs = retry.timeoutMs ?? DEFAULT_EVENT_GRID_TIMEOUT_MS;
  }

  async publish(event: PipelineCloudEvent): Promise<void> {
    try {
      await this.client.send([toEventGridInput(event)], {
        abortSignal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw classifyEventGridError(error, {
        topicHost: this.topicHost,
        eventId: event.id,
        eventType: event.type,
      });
    }
  }
}

/** Our structured CloudEvent as the SDK's input; `specversion` is the SDK's own (always 1.0). Pure. */
export function toEventGridInput(event: PipelineCloudEvent): SendCloudEventInput<unknown> {
  return {
    id: event.id,
    source: event.source,
    type: event.type,
    subject: event.subject,
    time: new Date(event.time),
    datacontenttype: event.datacontenttype,
    dataschema: event.dataschema,
    data: event.data,
  };
}
