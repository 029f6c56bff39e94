import type { WebhookApiClient } from '../../infra/webhooks/webhook-api-client';
import type { Endpoints } from '../local/runtime/endpoints-file';
import { writeEndpoints } from '../local/runtime/endpoints-file';

/** A subscription `start --webhook` made, as endpoints.json keeps it. */
export interface StartWebhook {
  readonly id: string;
  readonly url: string;
  readonly secret: string;
}

/** How the subscriptions `start --webhook` makes are told from anyone else's. */
export const START_WEBHOOK_DESCRIPTION = 'azl-rebuilder start --webhook';

/**
 * Subscribes each URL to every event (`*`) through the pipeline's HTTP API, as `start --webhook` does before
 * the demo runs. The local pipeline keeps its subscriptions across restarts, so a URL that an earlier
 * `start --webhook` subscribed is reused (enabled again, every event, its secret rotated because a secret is
 * shown only once) rather than subscribed twice, which would deliver each event twice. A URL the API refuses
 * throws its `webhooks.refused` (400 naming the field); the ones before it stay subscribed.
 */
export async function subscribeStartWebhooks(
  client: WebhookApiClient,
  urls: readonly string[],
): Promise<StartWebhook[]> {
  if (urls.length === 0) return [];
  const earlier = (await client.list()).filter((s) => s.description === START_WEBHOOK_DESCRIPTION);
  const made: StartWebhook[] = [];
  for (const url of urls) {
    const reusable = earlier.find((s) => s.url === normalised(url) && !made.some((m) => m.id === s.id));
    if (reusable) {
      await client.update(reusable.id, { enabled: true, events: ['*'] });
      const rotated = await client.rotateSecret(reusable.id);
      made.push({ id: rotated.id, url: rotated.url, secret: rotated.secret });
    } else {
      const created = await client.create({ url, events: ['*'], description: START_WEBHOOK_DESCRIPTION });
      made.push({ id: created.id, url: created.url, secret: created.secret });
    }
  }
  return made;
}

/** Writes `webhooks` into the running pipeline's endpoints.json, its other fields as they are. */
export function recordStartWebhooks(
  dataDir: string,
  endpoints: Endpoints,
  webhooks: readonly StartWebhook[],
): string {
  return writeEndpoints(dataDir, { ...endpoints, webhooks: [...webhooks] });
}

/** The URL as the API stores it (`URL.href`), to find an earlier subscription; the text itself if unparsable. */
function normalised(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}
