import { describe, expect, test } from 'vitest';
import { vhdBlobName } from '../../../shared/images/vhd-blob-name';
import { imagesContainer } from '../../../shared/storage';
import { thrownPipelineError } from '../../../testing/failures';

describe('vhdBlobName', () => {
  test('is <image>/<version>/<image>-<version>.vhd, as the images container names it', () => {
    expect(vhdBlobName('vm-base', '3.0.20261206.1')).toBe(
      'vm-base/3.0.20261206.1/vm-base-3.0.20261206.1.vhd',
    );
    expect(imagesContainer.vhdBlobName('demo', '1')).toBe('demo/1/demo-1.vhd');
    expect(imagesContainer.publicAccess).toBe('blob');
  });

  test.each([
    ['', '1'],
    ['vm/base', '1'],
    ['vm-base', '..'],
    ['vm-base', ''],
    ['vm-base', '1\n'],
  ])('refuses image %j version %j as image.invalid-name', (image, version) => {
    const error = thrownPipelineError(() => vhdBlobName(image, version), 'image.invalid-name');
    expect(error.retryable).toBe(false);
  });
});
