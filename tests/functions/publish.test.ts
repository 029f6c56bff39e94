import { InvocationContext } from '@azure/functions';
import { describe, expect, test } from 'vitest';
import { publishFunction, sweepRepositoriesTimer } from '../../functions/publish';
import { PipelineError } from '../../shared/errors';
import { repositoryAccess } from '../../shared/publishing';
import type { PublishRequest } from '../../shared/publishing';
import { fakeServices } from '../../testing/fakes/services';

const request: PublishRequest = {
  repository: 'base/x86_64',
  component: 'curl',
  fingerprint: `sha256:${'a'.repeat(64)}`,
  buildId: 'b1',
  packages: [
    {
      artifactBlob: `curl/sha256:${'a'.repeat(64)}/curl-8.9.1-2.azl4.x86_64.rpm`,
      fileName: 'curl-8.9.1-2.azl4.x86_64.rpm',
      sha256: 'b'.repeat(64),
      size: 1000,
      nevra: 'curl-8.9.1-2.azl4.x86_64',
    },
  ],
  requestedAt: '2026-12-01T10:00:00Z',
};

const context = () =>
  new InvocationContext({
    invocationId: 'inv',
    functionName: 'publish',
    triggerMetadata: { messageId: `base/x86_64:${request.fingerprint}` },
    logHandler: () => undefined,
  });

describe('publish function', () => {
  test('is a session-enabled function on the publish queue', () => {
    const entry = publishFunction(() => Promise.resolve(fakeServices()));
    expect(entry).toMatchObject({ kind: 'serviceBusQueue', queueName: 'publish', isSessionsEnabled: true });
  });

  test('hands the parsed request to the publisher', async () => {
    const received: PublishRequest[] = [];
    const services = fakeServices({
      publisher: {
        ...fakeServices().publisher,
        publish: (r) => {
          received.push(r);
          return Promise.resolve({
            repository: r.repository,
            revision: 3,
            packages: 1,
            changed: true,
            added: ['x'],
            removed: [],
            requests: [],
            ...repositoryAccess(r.repository, 'http://127.0.0.1/u/'),
          });
        },
      },
    });
    await publishFunction(() => Promise.resolve(services)).handler(request, context());
    expect(received).toEqual([request]);
  });

  test('a body that is not a publish request is a permanent message.invalid', async () => {
    const entry = publishFunction(() => Promise.resolve(fakeServices()));
    const error = await Promise.resolve(
      entry.handler({ ...request, repository: 'no-slash' }, context()),
    ).catch((e: unknown) => e);
    expect(PipelineError.is(error, 'message.invalid')).toBe(true);
    expect((error as PipelineError).retryable).toBe(false);
  });

  test('the sweep timer runs the sweep of every repository', async () => {
    let sweeps = 0;
    const services = fakeServices({
      publisher: { ...fakeServices().publisher, sweepAll: () => Promise.resolve(++sweeps) },
    });
    const timer = sweepRepositoriesTimer(() => Promise.resolve(services));
    await timer.handler(
      {
        isPastDue: false,
        schedule: { adjustForDST: false },
        scheduleStatus: { last: '', next: '', lastUpdated: '' },
      },
      context(),
    );
    expect(sweeps).toBe(1);
  });
});
