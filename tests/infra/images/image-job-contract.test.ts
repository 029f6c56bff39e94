import { describe, expect, test } from 'vitest';
import {
  encodeImageJobRequest,
  IMAGE_JOB_REQUEST_ENV,
  imageWorkerArgs,
  readImageJobRequest,
} from '../../../infra/images/image-job-contract';
import { imageJobRequestSchema } from '../../../shared/images/image-job-request';
import { thrownPipelineError } from '../../../testing/failures';

const request = imageJobRequestSchema.parse({
  image: 'container-base',
  version: '4.0.1',
  arch: 'aarch64',
  profiles: ['distroless-minimal'],
  fingerprint: `sha256:${'0f'.repeat(32)}`,
  repositories: [
    {
      repository: 'base/aarch64',
      revision: 9,
      baseUrl: 'https://st.blob.core.windows.net/repos/base/aarch64/',
    },
  ],
  output: { container: 'images', vhdBlobName: 'container-base/4.0.1/container-base-4.0.1.vhd' },
});
const env = { [IMAGE_JOB_REQUEST_ENV]: encodeImageJobRequest(request) };
const args = imageWorkerArgs(request).slice(2);

const invalid = (argv: readonly string[], variables: Record<string, string>) =>
  thrownPipelineError(() => readImageJobRequest(argv, variables), 'image.job-request-invalid');

describe('azl-rebuilder worker image: its arguments and AZL_IMAGE_JOB_REQUEST', () => {
  test('reads back what the dispatcher encoded, defaults included', () => {
    expect(readImageJobRequest(args, env)).toEqual(request);
    expect(request.allowMissing).toBe(false);
    expect(readImageJobRequest(['--version', '4.0.1', '--image', 'container-base'], env)).toEqual(request);
  });

  test.each([
    ['missing', {}, /AZL_IMAGE_JOB_REQUEST: missing/],
    ['not base64', { [IMAGE_JOB_REQUEST_ENV]: '{"image":1}' }, /is not base64/],
    ['base64 of no JSON', { [IMAGE_JOB_REQUEST_ENV]: Buffer.from('nope').toString('base64') }, /not of JSON/],
  ])('refuses a request that is %s, naming the variable', (_what, variables, message) => {
    const error = invalid(args, variables);
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(message);
    expect(error.context.variable).toBe(IMAGE_JOB_REQUEST_ENV);
  });

  test('refuses a request that is no image build request, naming the field', () => {
    const { repositories: _none, ...withoutRepositories } = request;
    const error = invalid(args, {
      [IMAGE_JOB_REQUEST_ENV]: encodeImageJobRequest({ ...withoutRepositories, repositories: [] }),
    });
    expect(error.context.field).toBe('repositories');
  });

  test.each([
    [['--image', 'vm-base', '--version', '4.0.1'], '--image'],
    [['--image', 'container-base', '--version', '4.0.2'], '--version'],
    [['--image', 'container-base'], '--version'],
    [['--image', 'container-base', '--version'], '--version'],
    [['--image', 'container-base', '--image', 'container-base', '--version', '4.0.1'], '--image'],
    [['--image', 'container-base', '--version', '4.0.1', '--arch', 'x86_64'], '--arch'],
  ])('refuses arguments %j that do not say what the request says (%s)', (argv, argument) => {
    expect(invalid(argv, env).context.argument).toBe(argument);
  });
});
