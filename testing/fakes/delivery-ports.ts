import type {
  AttemptPage,
  AttemptRecord,
  DeliveryLog,
  DeliveryMessage,
  DeliveryQueue,
  DeliveryRecord,
  DeliveryStatus,
} from '../../shared/webhooks/delivery';
import { attemptMessageId } from '../../shared/webhooks/delivery';
import type { AttemptOutcome, WebhookPost, WebhookPoster } from '../../shared/webhooks/delivery-attempt';

/** The delivery log in maps, for domain tests. Attempts list newest first, as the table does (by attempt id). */
export class MemoryDeliveryLog implements DeliveryLog {
  readonly deliveries = new Map<string, DeliveryRecord>();
  readonly attemptRows = new Map<string, AttemptRecord>();

  saveDelivery(record: DeliveryRecord): Promise<void> {
    this.deliveries.set(`${record.endpointId}/${record.deliveryId}`, structuredClone(record));
    return Promise.resolve();
  }

  getDelivery(endpointId: string, deliveryId: string): Promise<DeliveryRecord | undefined> {
    const record = this.deliveries.get(`${endpointId}/${deliveryId}`);
    return Promise.resolve(record && structuredClone(record));
  }

  deliveriesSince(
    endpointId: string,
    since: Date,
    statuses: readonly DeliveryStatus[],
  ): Promise<DeliveryRecord[]> {
    return Promise.resolve(
      [...this.deliveries.values()].filter(
        (record) =>
          record.endpointId === endpointId &&
          statuses.includes(record.status) &&
          Date.parse(record.updatedAt) >= since.getTime(),
      ),
    );
  }

  recordAttempt(record: AttemptRecord): Promise<void> {
    this.attemptRows.set(`${record.endpointId}/${record.attemptId}`, structuredClone(record));
    return Promise.resolve();
  }

  attempts(endpointId: string, page: { limit: number; continuationToken?: string }): Promise<AttemptPage> {
    const all = [...this.attemptRows.values()]
      .filter((record) => record.endpointId === endpointId)
      .sort((a, b) => a.attemptId.localeCompare(b.attemptId));
    const start = page.continuationToken ? Number(page.continuationToken) : 0;
    const attempts = all.slice(start, start + page.limit);
    const next = start + page.limit < all.length ? String(start + page.limit) : undefined;
    return Promise.resolve({ attempts, ...(next ? { continuationToken: next } : {}) });
  }

  deleteOlderThan(before: Date): Promise<number> {
    let deleted = 0;
    for (const [key, record] of this.deliveries)
      if (Date.parse(record.updatedAt) < before.getTime() && this.deliveries.delete(key)) deleted += 1;
    for (const [key, record] of this.attemptRows)
      if (Date.parse(record.at) < before.getTime() && this.attemptRows.delete(key)) deleted += 1;
    return Promise.resolve(deleted);
  }

  /** Every attempt of the endpoint, oldest first. */
  attemptsOf(endpointId: string): AttemptRecord[] {
    return [...this.attemptRows.values()]
      .filter((record) => record.endpointId === endpointId)
      .sort((a, b) => b.attemptId.localeCompare(a.attemptId));
  }
}

/** The delivery queue as lists: what was sent now and what was scheduled when. Duplicate ids are dropped, as the queue does. */
export class RecordingDeliveryQueue implements DeliveryQueue {
  readonly sent: DeliveryMessage[] = [];
  readonly scheduled: { message: DeliveryMessage; at: Date }[] = [];
  private readonly ids = new Set<string>();

  send(messages: readonly DeliveryMessage[]): Promise<void> {
    for (const message of messages) if (this.accept(message)) this.sent.push(structuredClone(message));
    return Promise.resolve();
  }

  schedule(message: DeliveryMessage, at: Date): Promise<void> {
    if (this.accept(message)) this.scheduled.push({ message: structuredClone(message), at });
    return Promise.resolve();
  }

  /** Takes every sent and scheduled message, in order, leaving the queue empty. */
  drain(): DeliveryMessage[] {
    const all = [...this.sent, ...this.scheduled.map((entry) => entry.message)];
    this.sent.length = 0;
    this.scheduled.length = 0;
    return all;
  }

  private accept(message: DeliveryMessage): boolean {
    const id = attemptMessageId(message);
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    return true;
  }
}

/** A poster that answers from a script (one outcome per call, the last repeating) and keeps what it was sent. */
export class ScriptedPoster implements WebhookPoster {
  readonly posts: WebhookPost[] = [];

  constructor(private readonly script: (post: WebhookPost, index: number) => AttemptOutcome) {}

  post(request: WebhookPost): Promise<AttemptOutcome> {
    this.posts.push(request);
    return Promise.resolve(this.script(request, this.posts.length - 1));
  }
}

/** An answer with `status` (and optional headers), as the safe HTTP client reports one. */
export function answered(status: number, headers: Record<string, string> = {}, body = ''): AttemptOutcome {
  return { kind: 'answered', status, headers, bodyExcerpt: body, bodyEnd: 'complete', latencyMs: 3 };
}
