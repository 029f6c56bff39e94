import { TablePendingEvents } from '../../infra/planning-pass';
import { TableStore } from '../../infra/storage';
import type { UpstreamEvent } from '../../shared/fedora/upstream-event';

/**
 * The events the plan function keeps pending, polled until `ids` are all there (or the time is up). With no
 * distro tree configured, `azl-rebuilder start` keeps every event from `ingest` pending: the end of the
 * ingest path that these tests can see.
 */
export async function waitForPendingEvents(
  storageConnectionString: string,
  ids: readonly string[],
  timeoutMs = 20_000,
): Promise<UpstreamEvent[]> {
  const pending = new TablePendingEvents(new TableStore({ connectionString: storageConnectionString }));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = await pending.list(10_000).catch(() => []);
    if (ids.every((id) => events.some((e) => e.messageId === id)) || Date.now() > deadline) return events;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
