import { join } from 'node:path';
import { ServiceBusClient } from '@azure/service-bus';
import { afterAll, describe, expect, test } from 'vitest';
import { composeImageTrigger } from '../../../infra/image-trigger/compose-image-trigger';
import { useAzurite } from '../../../testing/azurite';

const azurite = useAzurite();
// Never connected: nothing here sends.
const serviceBus = new ServiceBusClient('Endpoint=sb://127.0.0.1:1/;SharedAccessKeyName=a;SharedAccessKey=b');
afterAll(() => serviceBus.close());
const images = { builds: true, quietMs: 300_000, arch: 'x86_64' };

describe('composeImageTrigger', () => {
  test('no distro tree: no image trigger', async () => {
    const composed = composeImageTrigger({ images }, { tables: azurite.tables, serviceBus });
    expect(composed.trigger).toBeUndefined();
    await composed.close();
  });

  test("knows the tree's images, and which of them a repository moves", async () => {
    const distroDir = join(__dirname, '..', '..', 'fixtures', 'azurelinux');
    const composed = composeImageTrigger(
      { images, planner: { distroDir, debounceMs: 0, burst: { quietMs: 0, maxWaitMs: 0 }, budget: 1 } },
      { tables: azurite.tables, serviceBus },
    );
    expect(composed.trigger?.knows('vm-base')).toBe(true);
    expect(composed.trigger?.knows('container-distroless-debug')).toBe(true);
    expect(composed.trigger?.knows('no-such-image')).toBe(false);
    await composed.close();
  });
});
