import { describe, expect, it } from 'vitest';
import type { PipelineError } from '../../shared/errors';
import { loadSettings } from '../../shared/settings/load-settings';
import type { Env } from '../../shared/settings/load-settings';
import { thrownPipelineError } from '../../testing/failures';

const base: Env = {
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  ServiceBusConnection: 'Endpoint=sb://127.0.0.1:5672;SharedAccessKeyName=a;SharedAccessKey=b',
};

/** The settings.invalid error for `env`, or a failure when loadSettings accepts it. */
const failure = (env: Env): PipelineError => thrownPipelineError(() => loadSettings(env), 'settings.invalid');

describe('publishing settings: AZL_REPO_KEEP_BUILDS, AZL_REPO_GRACE_SECONDS, AZL_REPO_COALESCE_SECONDS', () => {
  it('default to one build, ten minutes and ten seconds', () => {
    expect(loadSettings(base).publishing).toEqual({ keepBuilds: 1, graceMs: 600_000, coalesceMs: 10_000 });
  });

  it('read the builds kept and the grace period in seconds', () => {
    const settings = loadSettings({ ...base, AZL_REPO_KEEP_BUILDS: '3', AZL_REPO_GRACE_SECONDS: '90' });
    expect(settings.publishing).toEqual({ keepBuilds: 3, graceMs: 90_000, coalesceMs: 10_000 });
    expect(loadSettings({ ...base, AZL_REPO_GRACE_SECONDS: '0' }).publishing.graceMs).toBe(0);
    expect(loadSettings({ ...base, AZL_REPO_COALESCE_SECONDS: '0' }).publishing.coalesceMs).toBe(0);
    expect(loadSettings({ ...base, AZL_REPO_COALESCE_SECONDS: '30' }).publishing.coalesceMs).toBe(30_000);
  });

  it.each([
    ['AZL_REPO_KEEP_BUILDS', '0', 'must be at least 1'],
    ['AZL_REPO_KEEP_BUILDS', 'two', 'must be a number of builds'],
    ['AZL_REPO_KEEP_BUILDS', '1.5', 'must be a whole number of builds'],
    ['AZL_REPO_GRACE_SECONDS', '-1', 'must not be negative'],
    ['AZL_REPO_GRACE_SECONDS', '10m', 'must be a number of seconds'],
    ['AZL_REPO_GRACE_SECONDS', '604801', 'must be at most 604800'],
    ['AZL_REPO_COALESCE_SECONDS', '-1', 'must not be negative'],
    ['AZL_REPO_COALESCE_SECONDS', '3601', 'must be at most 3600'],
  ])('%s=%s is a settings error naming the setting', (setting, value, problem) => {
    const error = failure({ ...base, [setting]: value });
    expect(error.message).toContain(`${setting}: ${problem}`);
    expect(error.context).toMatchObject({ component: 'settings', settings: setting });
  });

  it('names both when both are malformed, in one error', () => {
    const error = failure({ ...base, AZL_REPO_KEEP_BUILDS: '0', AZL_REPO_GRACE_SECONDS: 'soon' });
    expect(error.context.settings).toBe('AZL_REPO_KEEP_BUILDS,AZL_REPO_GRACE_SECONDS');
  });
});
