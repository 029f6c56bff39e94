import type { TestProject } from 'vitest/node';
import { startAzurite } from '../infra/local/azurite';

/**
 * Vitest globalSetup: one in-memory Azurite on free loopback ports for the whole run (~1.5 s to start),
 * shared by every test file through `azuriteConnectionString()` in testing/azurite.ts (which also
 * declares the provided key). The returned function is the teardown.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const azurite = await startAzurite({ persistence: 'memory' });
  project.provide('azuriteConnectionString', azurite.connectionString);
  return () => azurite.stop();
}
