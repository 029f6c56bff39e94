import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';

/** What a running local pipeline serves, written to `<data-dir>/endpoints.json` for people and tools. */
export const endpointsSchema = z.object({
  pid: z.number().int(),
  startedAt: z.string(),
  httpBaseUrl: z.string().url(),
  apiBaseUrl: z.string().url(),
  healthUrl: z.string().url(),
  /** The dashboard page with the function key in the URL fragment (never sent to a server). */
  dashboardUrl: z.string().url(),
  functionKey: z.string().min(1),
  /** The broker as the Service Bus emulator serves: plain AMQP, any key accepted. */
  serviceBusConnectionString: z.string().startsWith('Endpoint=sb://'),
  /**
   * The broker as Azure serves a namespace: AMQPS and the management API over HTTPS on one port, SAS tokens
   * checked against the key in this string. Its certificate is self-signed: clients trust
   * `serviceBusCertificatePath` (for Node, `NODE_EXTRA_CA_CERTS=<path>`).
   */
  serviceBusTlsConnectionString: z.string().startsWith('Endpoint=sb://').optional(),
  serviceBusCertificatePath: z.string().optional(),
  storageConnectionString: z.string().includes('AccountName='),
  /**
   * The subscriptions `start --webhook <url>` made, with their secrets (this file is the owner's alone:
   * mode 0600), so a receiver started later can verify what it gets.
   */
  webhooks: z
    .array(z.object({ id: z.string().min(1), url: z.string(), secret: z.string().startsWith('whsec_') }))
    .optional(),
});

export type Endpoints = z.infer<typeof endpointsSchema>;

export const endpointsPath = (dataDir: string): string => join(dataDir, 'endpoints.json');

/** Written atomically (temp file + rename), so a reader never sees half a file. */
export function writeEndpoints(dataDir: string, endpoints: Endpoints): string {
  const path = endpointsPath(dataDir);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, `${JSON.stringify(endpoints, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
  return path;
}

export function readEndpoints(dataDir: string): Endpoints | undefined {
  const path = endpointsPath(dataDir);
  if (!existsSync(path)) return undefined;
  return endpointsSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

export function removeEndpoints(dataDir: string): void {
  rmSync(endpointsPath(dataDir), { force: true });
}
