/**
 * How much work waits in each receivable entity (a queue, or a subscription of a topic), as Service Bus's
 * runtime properties count it. Read through the management API in Azure and locally alike.
 */
export interface EntityBacklog {
  /** `ingest`, or `events/webhooks` for a subscription. */
  readonly entity: string;
  /** Waiting for (or held by) a receiver, locked ones included. */
  readonly active: number;
  readonly deadLettered: number;
  /** Enqueued for a later time, not yet visible. */
  readonly scheduled: number;
}

/** The port: every queue's and subscription's backlog, in the order the entities are defined. */
export interface BacklogReader {
  read(signal?: AbortSignal): Promise<readonly EntityBacklog[]>;
}

/** `ingest 3, builds 0 (2 dead-lettered), events/webhooks 1 (1 scheduled)`: active first, the rest when not 0. */
export function describeBacklogs(backlogs: readonly EntityBacklog[]): string {
  return backlogs
    .map((b) => {
      const extra = [
        b.deadLettered ? `${b.deadLettered} dead-lettered` : '',
        b.scheduled ? `${b.scheduled} scheduled` : '',
      ].filter(Boolean);
      return `${b.entity} ${b.active}${extra.length ? ` (${extra.join(', ')})` : ''}`;
    })
    .join(', ');
}
