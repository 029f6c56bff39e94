import { AzureNamedKeyCredential, AzureSASCredential } from '@azure/core-auth';
import { isServiceBusError, ServiceBusClient } from '@azure/service-bus';

/**
 * `@azure/service-bus` in a process of its own, so the test that runs it can set `NODE_EXTRA_CA_CERTS` (read
 * by Node once, at start) to the local broker's self-signed certificate. The SDK has no option to trust a
 * certificate for its AMQP connection (core-amqp opens it with `tls.connect` and the default CAs), so in the
 * test's own process only a global change could make it trust one; here nothing else shares the process.
 * Run as `node dist/testing/broker/sdk-process.js '<SdkStep[] as JSON>'`; prints one `SdkOutcome[]` line.
 */

/** How a step authenticates: a connection string, a key name and key, or a ready SAS token. */
export type SdkAuth =
  | { readonly connectionString: string }
  | { readonly namespace: string; readonly keyName: string; readonly key: string }
  | { readonly namespace: string; readonly signature: string };

/** Send one message to `queue`, then (with `receive`) receive one and complete it, on a client of its own. */
export interface SdkStep {
  readonly auth: SdkAuth;
  readonly queue: string;
  readonly body: string;
  readonly receive: boolean;
}

export type SdkOutcome =
  | { readonly ok: true; readonly received?: unknown }
  | { readonly ok: false; readonly code: string; readonly message: string };

function clientFor(auth: SdkAuth): ServiceBusClient {
  const options = { retryOptions: { maxRetries: 0, timeoutInMs: 10_000 } };
  if ('connectionString' in auth) return new ServiceBusClient(auth.connectionString, options);
  const credential =
    'signature' in auth
      ? new AzureSASCredential(auth.signature)
      : new AzureNamedKeyCredential(auth.keyName, auth.key);
  return new ServiceBusClient(auth.namespace, credential, options);
}

async function run(step: SdkStep): Promise<SdkOutcome> {
  const client = clientFor(step.auth);
  try {
    await client.createSender(step.queue).sendMessages({ body: step.body });
    if (!step.receive) return { ok: true };
    const receiver = client.createReceiver(step.queue);
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5_000 });
    if (message) await receiver.completeMessage(message);
    return { ok: true, received: message?.body };
  } catch (error) {
    const code = isServiceBusError(error) ? error.code : ((error as { code?: string }).code ?? 'unknown');
    return { ok: false, code, message: error instanceof Error ? error.message : String(error) };
  } finally {
    await client.close();
  }
}

async function main(): Promise<void> {
  const steps = JSON.parse(process.argv[2] ?? '[]') as SdkStep[];
  const outcomes: SdkOutcome[] = [];
  for (const step of steps) outcomes.push(await run(step));
  process.stdout.write(`${JSON.stringify(outcomes)}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
}
