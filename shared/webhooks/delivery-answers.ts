import { z } from 'zod';
import { describes } from '../schema-matches';
import type { WebhookDelivery } from './webhook-delivery';

/** What the delivery operations answer over HTTP (`/api/webhooks/{id}/…`), checked against their methods. */

type Answer<M extends 'ping' | 'redeliver' | 'recover'> = Awaited<ReturnType<WebhookDelivery[M]>>;

/** `POST /api/webhooks/{id}/ping`: the `webhook.ping` event on its way. */
export const pingAnswerSchema = describes<Answer<'ping'>>()(
  z.object({ endpointId: z.string(), deliveryId: z.string(), eventId: z.string() }),
);

/** `POST /api/webhooks/{id}/deliveries/{deliveryId}/redeliver`: the delivery's new round. */
export const redeliverAnswerSchema = describes<Answer<'redeliver'>>()(
  z.object({ deliveryId: z.string(), round: z.int().min(2) }),
);

/** `POST /api/webhooks/{id}/recover`: the failed deliveries sent again. */
export const recoverAnswerSchema = describes<Answer<'recover'>>()(
  z.object({ redelivered: z.int().min(0), deliveryIds: z.array(z.string()) }),
);
