import { z } from 'zod';
import type { SettingsReader } from './issues';

/**
 * Webhook delivery settings (issue 17):
 * - `AZL_WEBHOOK_RETRY_SCHEDULE`: the waits before each retry, comma-separated durations (`5s,5m,30m,2h`);
 *   default `5s,5m,30m,2h,5h,10h,10h` (Svix's schedule: eight attempts over about 27 hours). A wait gets up
 *   to 10 % jitter.
 * - `AZL_WEBHOOK_DISABLE_AFTER`: an endpoint whose attempts have all failed for this long is disabled
 *   (default `5d`, as Svix does).
 * - `AZL_WEBHOOK_LOG_RETENTION`: how long the delivery log keeps deliveries and attempts (default `30d`).
 * - `AZL_PUBLIC_URL`: the pipeline's public base URL, for links in chat messages; else
 *   `https://$WEBSITE_HOSTNAME` (Azure sets it); else none.
 * - `AZL_EVENTGRID_TOPIC_ENDPOINT`: an Event Grid topic that also gets every event (none by default).
 */
export interface WebhookSettings {
  readonly retryScheduleMs: readonly number[];
  readonly disableAfterMs: number;
  readonly logRetentionMs: number;
  readonly publicUrl?: string;
  readonly eventGridTopicEndpoint?: string;
}

const SECOND = 1000;
const UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: SECOND,
  m: 60 * SECOND,
  h: 3600 * SECOND,
  d: 86_400 * SECOND,
};

export const DEFAULT_RETRY_SCHEDULE = '5s,5m,30m,2h,5h,10h,10h';
export const DEFAULT_DISABLE_AFTER = '5d';
export const DEFAULT_LOG_RETENTION = '30d';

/** A duration as `<number><ms|s|m|h|d>` (`90s`, `2h`), in milliseconds; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (!match) return undefined;
  return Math.round(Number(match[1]) * (UNITS[match[2] as string] ?? Number.NaN));
}

const duration = (max: number, maxText: string) =>
  z.string().transform((text, context) => {
    const ms = parseDuration(text);
    if (ms === undefined || ms > max) {
      context.issues.push({
        code: 'custom',
        input: text,
        message: `must be a duration such as 90s, 5m, 2h or 5d, at most ${maxText}`,
      });
      return z.NEVER;
    }
    return ms;
  });

const schedule = z.string().transform((text, context) => {
  const parts = text.split(',').map((part) => part.trim());
  const waits = parts.map(parseDuration);
  if (parts.length > 20 || waits.some((wait) => wait === undefined || wait > 86_400 * SECOND)) {
    context.issues.push({
      code: 'custom',
      input: text,
      message: 'must be at most 20 comma-separated durations of at most 1d each, e.g. 5s,5m,30m,2h',
    });
    return z.NEVER;
  }
  return waits as number[];
});

const baseUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .transform((url) => url.replace(/\/+$/, ''));
const eventGridEndpoint = z.url({
  protocol: /^https$/,
  error: 'must be the https URL of an Event Grid topic',
});

export function resolveWebhooks(reader: SettingsReader): WebhookSettings {
  const retryScheduleMs =
    reader.optional('AZL_WEBHOOK_RETRY_SCHEDULE', schedule) ??
    (schedule.parse(DEFAULT_RETRY_SCHEDULE) as number[]);
  const disableAfterMs =
    reader.optional('AZL_WEBHOOK_DISABLE_AFTER', duration(90 * 86_400 * SECOND, '90d')) ??
    (parseDuration(DEFAULT_DISABLE_AFTER) as number);
  const logRetentionMs =
    reader.optional('AZL_WEBHOOK_LOG_RETENTION', duration(365 * 86_400 * SECOND, '365d')) ??
    (parseDuration(DEFAULT_LOG_RETENTION) as number);
  const hostName = reader.optional('WEBSITE_HOSTNAME', z.string().regex(/^[A-Za-z0-9.-]+(:\d+)?$/));
  const publicUrl =
    reader.optional('AZL_PUBLIC_URL', baseUrl) ??
    (hostName === undefined ? undefined : `https://${hostName}`);
  const eventGridTopicEndpoint = reader.optional('AZL_EVENTGRID_TOPIC_ENDPOINT', eventGridEndpoint);
  return {
    retryScheduleMs,
    disableAfterMs,
    logRetentionMs,
    ...(publicUrl === undefined ? {} : { publicUrl }),
    ...(eventGridTopicEndpoint === undefined ? {} : { eventGridTopicEndpoint }),
  };
}
