import { ServiceBusAdministrationClient } from '@azure/service-bus';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { allEntities, queues } from '../../shared/messaging/entities';
import { runSdkSteps } from '../../testing/broker/sdk-child';
import { useStartedPipeline } from '../../testing/pipeline/started-pipeline';

/**
 * `azl-rebuilder start` offers the broker in both forms in endpoints.json: the emulator-style plain string
 * the local host uses, and the TLS one with a shared access key that clients use as they would Azure's.
 */
describe('start: the broker as Azure serves it', () => {
  const pipeline = useStartedPipeline('azl-start-tls-');

  test('endpoints.json gives a TLS connection string with a key and the certificate to trust; the SDK and the administration client use it', async () => {
    const { serviceBusTlsConnectionString, serviceBusCertificatePath, serviceBusConnectionString } =
      pipeline.endpoints;
    expect(serviceBusConnectionString).toContain('UseDevelopmentEmulator=true');
    expect(serviceBusTlsConnectionString).toMatch(
      /^Endpoint=sb:\/\/127\.0\.0\.1:\d+\/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=[A-Za-z0-9+/]{43}=$/,
    );
    expect(serviceBusCertificatePath).toBe(join(pipeline.dataDir, 'servicebus', 'tls', 'broker-cert.pem'));
    // The key stays the owner's alone.
    expect(statSync(join(pipeline.dataDir, 'servicebus', 'shared-access-key')).mode & 0o777).toBe(0o600);

    // Over AMQPS, by a process trusting the certificate: authenticated, then refused for the entity alone (a
    // send to a real queue would be work for the pipeline).
    const [sent] = await runSdkSteps(
      [
        {
          auth: { connectionString: serviceBusTlsConnectionString! },
          queue: 'no-such-queue',
          body: 'x',
          receive: false,
        },
      ],
      serviceBusCertificatePath,
    );
    expect(sent).toMatchObject({ ok: false, code: 'MessagingEntityNotFound' });

    const admin = new ServiceBusAdministrationClient(serviceBusTlsConnectionString!, {
      tlsOptions: { ca: readFileSync(serviceBusCertificatePath!, 'utf8') },
    });
    const names: string[] = [];
    for await (const queue of admin.listQueuesRuntimeProperties()) names.push(queue.name);
    const expected = allEntities.filter((e) => e.kind === 'queue').map((e) => e.name);
    expect(names.sort()).toEqual([...expected].sort());
    // The health check reads the same backlogs, through the same management API.
    const health = (await (await fetch(pipeline.endpoints.healthUrl)).json()) as {
      dependencies: { name: string; state: string; detail: string }[];
    };
    expect(health.dependencies.find((d) => d.name === 'serviceBus')).toMatchObject({
      state: 'healthy',
      detail: expect.stringMatching(/^backlogs: ingest \d+.*, builds \d+/) as string,
    });
    const ingest = await admin.getQueue(queues.ingest.name);
    expect(ingest).toMatchObject({ maxDeliveryCount: queues.ingest.maxDeliveryCount, lockDuration: 'PT1M' });
  });
});
