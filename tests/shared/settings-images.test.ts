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
    expect(loadSettings(base).images).toEqual({ builds: true, quietMs: 300_000, arch: 'x86_64' });
  });

  it('read them all', () => {
    expect(
      loadSettings({
        ...base,
        AZL_IMAGE_QUIET_SECONDS: '30',
        AZL_IMAGE_ARCH: 'aarch64',
        AZL_IMAGE_WORK_DIR: '/mnt/images',
      }).images,
    ).toEqual({
      builds: true,
      quietMs: 30_000,
      arch: 'aarch64',
      workDir: '/mnt/images',
    });
  });

  it('build none with AZL_IMAGE_BUILDER=off (a deployment without an image builder job)', () => {
    const settings = loadSettings({ ...base, AZL_IMAGE_BUILDER: 'off' });
    expect(settings.images.builds).toBe(false);
    expect(settings.imageBuilder).toBeUndefined();
  });

  it('want an absolute work folder', () => {
    const error = thrownPipelineError(
      () => loadSettings({ ...base, AZL_IMAGE_WORK_DIR: 'images' }),
      'settings.invalid',
    );
    expect(error.message).toContain('AZL_IMAGE_WORK_DIR: must be an absolute path');
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
