import { PipelineError } from '../errors';
import type { PipelineCloudEvent } from '../events/cloud-event';
import { CLOUD_EVENT_TYPE_PREFIX, pipelineEventOf, toCloudEvent } from '../events/cloud-event';
import { pipelineEvent } from '../events/pipeline-event';
import type { Logger } from '../logger';
import type { PipelineEventPublisher } from '../messaging/pipeline-event';
import type { PipelineTelemetry } from '../telemetry/pipeline-telemetry';
import type {
  AttemptPage,
  AttemptResult,
  DeliveryLog,
  DeliveryMessage,
  DeliveryQueue,
  DeliveryRecord,
  DeliveryTrigger,
} from './delivery';
import { attemptIdOf, deliveryIdOf, maxResponseExcerpt } from './delivery';
import type { AttemptOutcome, WebhookPoster } from './delivery-attempt';
import { buildDeliveryRequest } from './delivery-request';
import type { AttemptDecision } from './retry-policy';
import { decideAfterAttempt, describeOutcome } from './retry-policy';
import type { EndpointDisabled, WebhookSubscription } from './subscription';
import { matches } from './subscription';
import type { SubscriptionStore } from './subscriptions';

export interface WebhookDeliveryDeps {
  readonly subscriptions: SubscriptionStore;
  readonly poster: WebhookPoster;
  readonly log: DeliveryLog;
  readonly queue: DeliveryQueue;
  /** Where `webhook.endpoint-disabled` goes (the `events` topic). */
  readonly events: PipelineEventPublisher;
  readonly telemetry: Pick<PipelineTelemetry, 'webhookAttempted' | 'webhookEndpointDisabled'>;
  readonly logger: Logger;
  readonly now: () => Date;
  /** [0, 1), for retry jitter. */
  readonly random: () => number;
  /** The waits before each retry (`AZL_WEBHOOK_RETRY_SCHEDULE`). */
  readonly retryScheduleMs: readonly number[];
  /** An endpoint failing every attempt for this long is disabled (`AZL_WEBHOOK_DISABLE_AFTER`). */
  readonly disableAfterMs: number;
  /** How long the delivery log keeps its rows (`AZL_WEBHOOK_LOG_RETENTION`). */
  readonly logRetentionMs: number;
  /** The pipeline's version, for the user-agent. */
  readonly senderVersion: string;
  /** The CloudEvents `source` instance of events made here (`webhook.ping`). */
  readonly instanceName: string;
  /** The pipeline's public base URL, for links in chat formats. */
  readonly publicUrl?: string;
}

/** What `deliver` did with one attempt message. */
export type DeliverOutcome =
  | { readonly kind: 'attempted'; readonly result: AttemptResult; readonly nextAttemptAt?: Date }
  /** Not attempted: the endpoint was deleted, is disabled, or the message is stale or a duplicate. */
  | { readonly kind: 'not-attempted'; readonly reason: string };

/** The longest an endpoint's cool-down lasts (see `probeAfterFailure`). */
export const maxCoolDownMs = 5 * 60_000;

/** The most attempts one page of the delivery log answers with. */
export const maxAttemptPage = 200;

/**
 * Webhook delivery (issue 17 items 3 and 6): fans events out to the endpoints that match them, makes one
 * attempt per `webhook-deliveries` message, decides what follows (`retry-policy.ts`), keeps the delivery log,
 * disables endpoints that are gone or failing, and answers the API's ping, redeliver and recover. Every
 * outside effect goes through a port, so the whole flow runs on fakes in tests.
 *
 * An attempt's effects are ordered so that a crash at any point repeats at most the POST: the retry is
 * scheduled (its message id is fixed, so a repeat is a duplicate) before the attempt is logged, and the
 * endpoint's health is written last.
 */
export class WebhookDelivery {
  constructor(private readonly deps: WebhookDeliveryDeps) {}

  /** Sends one attempt message per enabled endpoint that `event` matches; how many. */
  async fanOut(event: PipelineCloudEvent): Promise<number> {
    const subject = pipelineEventOf(event);
    const endpoints = (await this.deps.subscriptions.list()).filter((endpoint) => matches(endpoint, subject));
    await this.deps.queue.send(endpoints.map((endpoint) => firstAttempt(endpoint.id, event, 1, 'event')));
    return endpoints.length;
  }

  /** Makes the attempt `message` asks for, and whatever follows from its outcome. */
  async deliver(message: DeliveryMessage): Promise<DeliverOutcome> {
    const endpoint = await this.deps.subscriptions.get(message.endpointId);
    if (endpoint === undefined) return { kind: 'not-attempted', reason: 'the endpoint was deleted' };
    const stored = await this.deps.log.getDelivery(message.endpointId, message.deliveryId);
    const stale = staleness(stored, message);
    if (stale) return { kind: 'not-attempted', reason: stale };
    const at = this.deps.now();
    if (!endpoint.enabled) {
      await this.deps.log.saveDelivery({
        ...this.recordOf(stored, message, at),
        status: 'skipped',
        detail: 'the endpoint is disabled',
      });
      return { kind: 'not-attempted', reason: 'the endpoint is disabled' };
    }
    const coolDownUntil = coolDownOf(endpoint, message, at);
    if (coolDownUntil !== undefined) return this.defer(stored, message, at, coolDownUntil, endpoint);
    const outcome = await this.attempt(endpoint, message, at);
    const decision = decideAfterAttempt(outcome, {
      attempt: message.attempt,
      scheduleMs: this.deps.retryScheduleMs,
      now: this.deps.now(),
      random: this.deps.random,
    });
    const disabling = this.disablingOf(endpoint, decision, at);
    const result = resultOf(decision, disabling);
    const nextAttemptAt = result === 'retrying' && decision.kind === 'retry' ? decision.at : undefined;
    if (nextAttemptAt)
      await this.deps.queue.schedule(
        { ...message, attempt: message.attempt + 1, trigger: message.trigger },
        nextAttemptAt,
      );
    await this.record(stored, message, { at, outcome, result, decision, nextAttemptAt, disabling });
    this.deps.telemetry.webhookAttempted({ result, format: endpoint.format, latencyMs: outcome.latencyMs });
    const probeAfter = this.probeAfterFailure(decision, at, endpoint.failingSince);
    await this.updateHealth(endpoint, result, at, disabling, probeAfter);
    return { kind: 'attempted', result, ...(nextAttemptAt ? { nextAttemptAt } : {}) };
  }

  /** `POST /api/webhooks/{id}/ping`: a `webhook.ping` to that endpoint alone, through the same delivery. */
  async ping(endpointId: string): Promise<{ endpointId: string; deliveryId: string; eventId: string }> {
    await this.enabledEndpoint(endpointId);
    const time = this.deps.now().toISOString();
    const event = pipelineEvent('webhook.ping', {
      identity: `${endpointId}\n${time}`,
      subject: endpointId,
      time,
      data: { endpointId },
    });
    const message = firstAttempt(endpointId, toCloudEvent(event, this.deps.instanceName), 1, 'ping');
    await this.deps.queue.send([message]);
    return { endpointId, deliveryId: message.deliveryId, eventId: event.id };
  }

  /** Sends a logged delivery again as a new round: the same event, the same `webhook-id`. */
  async redeliver(
    endpointId: string,
    deliveryId: string,
    trigger: DeliveryTrigger = 'redeliver',
  ): Promise<{ deliveryId: string; round: number }> {
    await this.enabledEndpoint(endpointId);
    const stored = await this.deps.log.getDelivery(endpointId, deliveryId);
    if (stored === undefined)
      throw PipelineError.permanent(
        'webhook.unknown-delivery',
        `no delivery ${deliveryId} in the log of ${endpointId}`,
        { endpointId, deliveryId },
      );
    const round = stored.round + 1;
    // The stored id, not one derived again: the log's key is what a later redelivery names.
    const message = { ...firstAttempt(endpointId, stored.event, round, trigger), deliveryId };
    await this.deps.log.saveDelivery({
      ...stored,
      round,
      status: 'pending',
      updatedAt: this.deps.now().toISOString(),
    });
    await this.deps.queue.send([message]);
    return { deliveryId, round };
  }

  /** `POST /api/webhooks/{id}/recover?since=`: every delivery that failed (or was skipped) since, again. */
  async recover(endpointId: string, since: Date): Promise<{ redelivered: number; deliveryIds: string[] }> {
    await this.enabledEndpoint(endpointId);
    const failed = await this.deps.log.deliveriesSince(endpointId, since, ['failed', 'skipped']);
    for (const delivery of failed) await this.redeliver(endpointId, delivery.deliveryId, 'recover');
    return { redelivered: failed.length, deliveryIds: failed.map((delivery) => delivery.deliveryId) };
  }

  /** A page of the endpoint's delivery log, newest first. */
  async attempts(
    endpointId: string,
    page: { limit?: number; continuationToken?: string },
  ): Promise<AttemptPage> {
    await this.endpoint(endpointId);
    const limit = Math.min(Math.max(Math.trunc(page.limit ?? 50), 1), maxAttemptPage);
    return this.deps.log.attempts(endpointId, {
      limit,
      ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}),
    });
  }

  /** Deletes log rows older than the retention period; how many. */
  sweepLog(): Promise<number> {
    return this.deps.log.deleteOlderThan(new Date(this.deps.now().getTime() - this.deps.logRetentionMs));
  }

  private async attempt(
    endpoint: WebhookSubscription,
    message: DeliveryMessage,
    at: Date,
  ): Promise<AttemptOutcome> {
    let request;
    try {
      request = buildDeliveryRequest({
        event: message.event,
        secrets: endpoint.secrets,
        attemptAt: at,
        senderVersion: this.deps.senderVersion,
        format: endpoint.format,
        ...(this.deps.publicUrl === undefined ? {} : { publicUrl: this.deps.publicUrl }),
      });
    } catch (error) {
      if (!PipelineError.is(error)) throw error;
      return { kind: 'failed', error, latencyMs: 0 };
    }
    return this.deps.poster.post({ url: endpoint.url, body: request.body, headers: request.headers });
  }

  /** The endpoint is disabled by this attempt: it is gone, or has failed for longer than allowed. */
  private disablingOf(
    endpoint: WebhookSubscription,
    decision: AttemptDecision,
    at: Date,
  ): (EndpointDisabled & { failingSince?: string }) | undefined {
    if (decision.kind === 'disable') return { reason: 'gone', detail: decision.detail, at: at.toISOString() };
    if (decision.kind === 'delivered' || endpoint.failingSince === undefined) return undefined;
    const failingFor = at.getTime() - Date.parse(endpoint.failingSince);
    if (failingFor < this.deps.disableAfterMs) return undefined;
    return {
      reason: 'failing',
      detail:
        `every attempt failed for ${Math.round(failingFor / 60_000)} min (since ${endpoint.failingSince}); last: ${decision.detail}`.slice(
          0,
          500,
        ),
      at: at.toISOString(),
      failingSince: endpoint.failingSince,
    };
  }

  private async record(
    stored: DeliveryRecord | undefined,
    message: DeliveryMessage,
    attempt: {
      at: Date;
      outcome: AttemptOutcome;
      result: AttemptResult;
      decision: AttemptDecision;
      nextAttemptAt: Date | undefined;
      disabling: EndpointDisabled | undefined;
    },
  ): Promise<void> {
    const { at, outcome, result, nextAttemptAt } = attempt;
    const answered = outcome.kind === 'answered' ? outcome : undefined;
    const detail =
      attempt.disabling?.detail ??
      (attempt.decision.kind === 'delivered' ? describeOutcome(outcome) : attempt.decision.detail);
    await this.deps.log.recordAttempt({
      endpointId: message.endpointId,
      attemptId: attemptIdOf(at.getTime(), message),
      deliveryId: message.deliveryId,
      eventId: message.event.id,
      eventType: catalogueTypeOf(message.event.type),
      round: message.round,
      attempt: message.attempt,
      trigger: message.trigger,
      at: at.toISOString(),
      result,
      ...(answered ? { status: answered.status } : {}),
      ...(outcome.kind === 'failed' ? { error: outcome.error.code } : {}),
      ...(result === 'endpoint-disabled'
        ? { error: `endpoint disabled: ${attempt.disabling?.reason ?? 'gone'}` }
        : {}),
      latencyMs: Math.round(outcome.latencyMs * 10) / 10,
      ...(answered && answered.bodyExcerpt
        ? { response: answered.bodyExcerpt.slice(0, maxResponseExcerpt) }
        : {}),
      ...(nextAttemptAt ? { nextAttemptAt: nextAttemptAt.toISOString() } : {}),
    });
    const base = this.recordOf(stored, message, at);
    const { nextAttemptAt: _previous, ...rest } = base;
    await this.deps.log.saveDelivery({
      ...rest,
      status: result === 'delivered' ? 'delivered' : result === 'retrying' ? 'retrying' : 'failed',
      attempts: base.attempts + 1,
      lastAttemptAt: at.toISOString(),
      ...(nextAttemptAt ? { nextAttemptAt: nextAttemptAt.toISOString() } : {}),
      detail,
    });
  }

  /** The delivery's record as it stands before this attempt (new on its first). */
  private recordOf(stored: DeliveryRecord | undefined, message: DeliveryMessage, at: Date): DeliveryRecord {
    const event = message.event;
    return {
      endpointId: message.endpointId,
      deliveryId: message.deliveryId,
      eventId: event.id,
      eventType: catalogueTypeOf(event.type),
      subject: typeof event.subject === 'string' ? event.subject : '',
      event: message.event,
      status: stored?.status ?? 'pending',
      round: message.round,
      attempts: stored?.attempts ?? 0,
      createdAt: stored?.createdAt ?? at.toISOString(),
      updatedAt: at.toISOString(),
      ...(stored?.lastAttemptAt ? { lastAttemptAt: stored.lastAttemptAt } : {}),
    };
  }

  /**
   * After an attempt: a delivered one ends the endpoint's failing period; a failed one starts it (if it has
   * not started); a disabling one disables the endpoint (once: a concurrent attempt that finds it disabled
   * does nothing) and emits `webhook.endpoint-disabled`.
   */
  private async updateHealth(
    endpoint: WebhookSubscription,
    result: AttemptResult,
    at: Date,
    disabling: (EndpointDisabled & { failingSince?: string }) | undefined,
    probeAfter: Date,
  ): Promise<void> {
    if (result === 'delivered') {
      if (endpoint.failingSince !== undefined || endpoint.probeAfter !== undefined)
        await this.deps.subscriptions.update(
          endpoint.id,
          ({ failingSince: _since, probeAfter: _probe, ...rest }) => rest,
        );
      return;
    }
    if (disabling === undefined) {
      await this.deps.subscriptions.update(endpoint.id, (stored) => ({
        ...stored,
        failingSince: stored.failingSince ?? at.toISOString(),
        probeAfter: probeAfter.toISOString(),
      }));
      return;
    }
    let disabledNow = false;
    await this.deps.subscriptions.update(endpoint.id, (stored) => {
      disabledNow = stored.enabled;
      if (!stored.enabled) return stored;
      const { failingSince: _since, probeAfter: _probe, ...rest } = stored;
      const { failingSince: _failing, ...disabled } = disabling;
      return { ...rest, enabled: false, disabled, updatedAt: at.toISOString() };
    });
    if (!disabledNow) return;
    this.deps.logger.warn('webhook endpoint disabled', {
      endpointId: endpoint.id,
      reason: disabling.reason,
      detail: disabling.detail,
    });
    this.deps.telemetry.webhookEndpointDisabled({
      endpointId: endpoint.id,
      reason: disabling.reason,
      detail: disabling.detail,
    });
    await this.deps.events.publish([
      pipelineEvent('webhook.endpoint-disabled', {
        identity: `${endpoint.id}\n${disabling.at}`,
        subject: endpoint.id,
        time: disabling.at,
        data: {
          endpointId: endpoint.id,
          reason: disabling.reason,
          detail: disabling.detail,
          ...(disabling.failingSince ? { failingSince: disabling.failingSince } : {}),
        },
      }),
    ]);
  }

  /**
   * An attempt due while its endpoint cools down is not made: it waits, as a new message, until the cool-down
   * ends (plus up to a second of jitter, so the waiting attempts do not all come back at once). Its attempt
   * number does not advance, so a delivery loses none of its own tries to another's failures.
   */
  private async defer(
    stored: DeliveryRecord | undefined,
    message: DeliveryMessage,
    at: Date,
    until: Date,
    endpoint: WebhookSubscription,
  ): Promise<DeliverOutcome> {
    const next = new Date(until.getTime() + Math.floor(this.deps.random() * 1000));
    await this.deps.queue.schedule({ ...message, deferral: (message.deferral ?? 0) + 1 }, next);
    await this.deps.log.saveDelivery({
      ...this.recordOf(stored, message, at),
      status: 'retrying',
      nextAttemptAt: next.toISOString(),
      detail: `waiting for the endpoint's cool-down: it has been failing since ${endpoint.failingSince ?? '?'}`,
    });
    return { kind: 'not-attempted', reason: `the endpoint cools down until ${until.toISOString()}` };
  }

  /**
   * The cool-down a failed attempt gives its endpoint: at least until this delivery's own retry (the first wait
   * when it gave up), and as long as the endpoint has been failing, so a dead endpoint is tried less and less
   * often (15 s hanging, then 15 s cool, then 30 s, …) and holds a session worker only a small share of the
   * time; at most `maxCoolDownMs`, so one that recovers gets new events within minutes. The latest failure
   * sets it.
   */
  private probeAfterFailure(decision: AttemptDecision, at: Date, failingSince: string | undefined): Date {
    const now = this.deps.now().getTime();
    const retry =
      decision.kind === 'retry' ? decision.at.getTime() : now + (this.deps.retryScheduleMs[0] ?? 0);
    const since = failingSince === undefined ? at.getTime() : Date.parse(failingSince);
    const failingFor = Number.isNaN(since) ? 0 : Math.max(0, now - since);
    return new Date(Math.min(Math.max(retry, now + failingFor), now + maxCoolDownMs));
  }

  private async endpoint(endpointId: string): Promise<WebhookSubscription> {
    const endpoint = await this.deps.subscriptions.get(endpointId);
    if (endpoint === undefined)
      throw PipelineError.permanent('webhook.unknown-subscription', `no webhook subscription ${endpointId}`, {
        id: endpointId,
      });
    return endpoint;
  }

  private async enabledEndpoint(endpointId: string): Promise<WebhookSubscription> {
    const endpoint = await this.endpoint(endpointId);
    if (!endpoint.enabled)
      throw PipelineError.permanent(
        'webhook.endpoint-disabled',
        `webhook endpoint ${endpointId} is disabled${endpoint.disabled ? ` (${endpoint.disabled.detail})` : ''}: enable it first`,
        { id: endpointId },
      );
    return endpoint;
  }
}

/** The first attempt of a round of the delivery of `event` to `endpointId`. */
function firstAttempt(
  endpointId: string,
  event: PipelineCloudEvent | DeliveryMessage['event'],
  round: number,
  trigger: DeliveryTrigger,
): DeliveryMessage {
  return {
    endpointId,
    deliveryId: deliveryIdOf(event.id, endpointId),
    event: { ...event },
    attempt: 1,
    round,
    trigger,
  };
}

/**
 * Until when an attempt of an event waits for its failing endpoint's cool-down; undefined when it is made now.
 * Requests a person made (ping, redeliver, recover) are made at once: they are how someone checks a fix.
 */
function coolDownOf(endpoint: WebhookSubscription, message: DeliveryMessage, at: Date): Date | undefined {
  if (message.trigger !== 'event' || endpoint.failingSince === undefined || endpoint.probeAfter === undefined)
    return undefined;
  const until = Date.parse(endpoint.probeAfter);
  return Number.isNaN(until) || until <= at.getTime() ? undefined : new Date(until);
}

/**
 * Why a message is not attempted although its endpoint exists: its round was superseded by a redelivery, or
 * its round already delivered (a duplicate of an attempt whose outcome is logged).
 */
function staleness(stored: DeliveryRecord | undefined, message: DeliveryMessage): string | undefined {
  if (stored === undefined) return undefined;
  if (stored.round > message.round) return `round ${message.round} was superseded by round ${stored.round}`;
  if (stored.round === message.round && stored.status === 'delivered')
    return `round ${message.round} was already delivered`;
  return undefined;
}

function resultOf(decision: AttemptDecision, disabling: EndpointDisabled | undefined): AttemptResult {
  if (disabling) return 'endpoint-disabled';
  switch (decision.kind) {
    case 'delivered':
      return 'delivered';
    case 'retry':
      return 'retrying';
    case 'give-up':
      return 'failed';
    case 'disable':
      return 'endpoint-disabled';
  }
}

const catalogueTypeOf = (type: string): string =>
  type.startsWith(CLOUD_EVENT_TYPE_PREFIX) ? type.slice(CLOUD_EVENT_TYPE_PREFIX.length) : type;
