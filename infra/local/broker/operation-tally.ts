/**
 * How many operations the broker served, by kind: what Azure Service Bus bills ("an operation is any API call
 * to the service"), so a local run can be priced for Azure. `send` counts transfers (a batch is one), `message`
 * the messages they carried; `deliver` each message handed to a receiver, `settle` each disposition (complete,
 * abandon, defer, dead-letter); `management:<operation>` each request on `$management` (schedule, renew-lock,
 * peek, receive-by-sequence-number, ...); `cbs` each token put.
 */
export class BrokerOperationTally {
  private readonly counts = new Map<string, number>();

  count(kind: string, n = 1): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + n);
  }

  /** The counts so far, kinds sorted. */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}
