import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../shared/settings/load-settings';
import type { Env } from '../../shared/settings/load-settings';
import { thrownPipelineError } from '../../testing/failures';

const base: Env = {
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  ServiceBusConnection: 'Endpoint=sb://127.0.0.1:5672;SharedAccessKeyName=a;SharedAccessKey=b',
};

describe('image trigger settings: AZL_IMAGE_QUIET_SECONDS and AZL_IMAGE_ARCH', () => {
  it('default to five quiet minutes and x86_64', () => {
    expect(loadSettings(base).images).toEqual({ quietMs: 300_000, arch: 'x86_64' });
  });

  it('read both', () => {
    expect(
      loadSettings({ ...base, AZL_IMAGE_QUIET_SECONDS: '30', AZL_IMAGE_ARCH: 'aarch64' }).images,
    ).toEqual({
      quietMs: 30_000,
      arch: 'aarch64',
    });
  });

  it('name each malformed one', () => {
    const error = thrownPipelineError(
      () => loadSettings({ ...base, AZL_IMAGE_QUIET_SECONDS: '-1', AZL_IMAGE_ARCH: 'x86 64' }),
      'settings.invalid',
    );
    expect(error.message).toContain('AZL_IMAGE_QUIET_SECONDS: must not be negative');
    expect(error.message).toContain('AZL_IMAGE_ARCH: must be an architecture name');
  });
});
