import type * as Identity from '@azure/identity';
import type { TokenCredential } from '@azure/service-bus';
import { ServiceBusClient } from '@azure/service-bus';
import { describe, expect, test, vi } from 'vitest';
import { closeServiceBusClient, createServiceBusClient } from '../../../infra/servicebus';

/** Records how the adapter builds DefaultAzureCredential, without changing what it does. */
const credentialOptions = vi.hoisted(() => [] as unknown[]);
vi.mock('@azure/identity', async (importOriginal) => {
  const actual = await importOriginal<typeof Identity>();
  class RecordingCredential extends actual.DefaultAzureCredential {
    constructor(options?: Identity.DefaultAzureCredentialClientIdOptions) {
      const given = options === undefined ? undefined : { ...options }; // the SDK adds defaults to `options`
      super(options);
      credentialOptions.push(given);
    }
  }
  return { ...actual, DefaultAzureCredential: RecordingCredential };
});

class CountingCredential implements TokenCredential {
  calls = 0;
  async getToken(): Promise<null> {
    this.calls += 1;
    return null;
  }
}

describe('createServiceBusClient', () => {
  test('the identity path builds a client for the namespace without any network or token request', async () => {
    const credential = new CountingCredential();
    const client = createServiceBusClient(
      { kind: 'identity', fullyQualifiedNamespace: 'azl-rebuilder.servicebus.windows.net' },
      { credential },
    );
    expect(client).toBeInstanceOf(ServiceBusClient);
    expect(client.fullyQualifiedNamespace).toBe('azl-rebuilder.servicebus.windows.net');
    // Senders and receivers are lazy too: nothing connects until the first operation.
    client.createSender('ingest');
    client.createReceiver('ingest');
    expect(credential.calls).toBe(0);
    await closeServiceBusClient(client);
    expect(credential.calls).toBe(0);
  });

  test('without a credential it uses DefaultAzureCredential, selecting the user-assigned identity by clientId', async () => {
    credentialOptions.length = 0;
    const clientId = '00000000-0000-4000-8000-000000000001';
    const withId = createServiceBusClient({
      kind: 'identity',
      fullyQualifiedNamespace: 'azl.servicebus.windows.net',
      clientId,
    });
    const systemAssigned = createServiceBusClient({
      kind: 'identity',
      fullyQualifiedNamespace: 'azl.servicebus.windows.net',
    });
    expect(credentialOptions).toEqual([{ managedIdentityClientId: clientId }, {}]);
    expect(withId.fullyQualifiedNamespace).toBe('azl.servicebus.windows.net');
    await closeServiceBusClient(withId);
    await closeServiceBusClient(systemAssigned);
  });

  test('the connection-string path takes the namespace from the endpoint, also lazily', async () => {
    const client = createServiceBusClient({
      kind: 'connectionString',
      connectionString:
        'Endpoint=sb://127.0.0.1:1;SharedAccessKeyName=k;SharedAccessKey=s;UseDevelopmentEmulator=true',
    });
    expect(client.fullyQualifiedNamespace).toBe('127.0.0.1');
    await closeServiceBusClient(client);
    await closeServiceBusClient(client); // closing twice, or nothing, is fine
    await closeServiceBusClient(undefined);
  });
});
