import { describe, expect, it } from 'vitest';
import type { PipelineError } from '../../shared/errors';
import { loadSettings } from '../../shared/settings/load-settings';
import type { Env } from '../../shared/settings/load-settings';
import { parseDuration } from '../../shared/settings/webhooks';
import { thrownPipelineError } from '../../testing/failures';

const base: Env = {
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  ServiceBusConnection: 'Endpoint=sb://127.0.0.1:5672;SharedAccessKeyName=a;SharedAccessKey=b',
};

const failure = (env: Env): PipelineError => thrownPipelineError(() => loadSettings(env), 'settings.invalid');

describe('webhook settings', () => {
  it('parse durations in ms, s, m, h and d, and refuse anything else', () => {
    expect([parseDuration('250ms'), parseDuration('5s'), parseDuration('1.5m'), parseDuration('2h')]).toEqual(
      [250, 5_000, 90_000, 7_200_000],
    );
    expect(parseDuration('3d')).toBe(259_200_000);
    expect([parseDuration('5'), parseDuration('s'), parseDuration('-5s'), parseDuration('5 weeks')]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('read the retry schedule, disable period, retention, public URL and Event Grid topic', () => {
    const settings = loadSettings({
      ...base,
      AZL_WEBHOOK_RETRY_SCHEDULE: '1s, 2s,500ms',
      AZL_WEBHOOK_DISABLE_AFTER: '10m',
      AZL_WEBHOOK_LOG_RETENTION: '7d',
      AZL_PUBLIC_URL: 'http://127.0.0.1:7071/',
      AZL_EVENTGRID_TOPIC_ENDPOINT: 'https://azl.westeurope-1.eventgrid.azure.net/api/events',
    }).webhooks;
    expect(settings).toEqual({
      retryScheduleMs: [1_000, 2_000, 500],
      disableAfterMs: 600_000,
      logRetentionMs: 7 * 86_400_000,
      publicUrl: 'http://127.0.0.1:7071',
      eventGridTopicEndpoint: 'https://azl.westeurope-1.eventgrid.azure.net/api/events',
    });
  });

  it('take the public URL from WEBSITE_HOSTNAME when AZL_PUBLIC_URL is not set', () => {
    expect(loadSettings({ ...base, WEBSITE_HOSTNAME: 'func-azl.azurewebsites.net' }).webhooks.publicUrl).toBe(
      'https://func-azl.azurewebsites.net',
    );
  });

  it('name each malformed setting', () => {
    const error = failure({
      ...base,
      AZL_WEBHOOK_RETRY_SCHEDULE: '5s,soon',
      AZL_WEBHOOK_DISABLE_AFTER: '1000d',
      AZL_EVENTGRID_TOPIC_ENDPOINT: 'http://topic.example/api/events',
    });
    expect(error.message).toContain(
      'AZL_WEBHOOK_RETRY_SCHEDULE: must be at most 20 comma-separated durations',
    );
    expect(error.message).toContain('AZL_WEBHOOK_DISABLE_AFTER: must be a duration');
    expect(error.message).toContain(
      'AZL_EVENTGRID_TOPIC_ENDPOINT: must be the https URL of an Event Grid topic',
    );
  });
});
