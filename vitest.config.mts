import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * At least two test files at once. Vitest's default is one fewer than the cores, which is one on the 2-core
 * CI machine, but most of a file's time here is spent waiting on the processes it starts (Azurite, the
 * broker, RabbitMQ, rpmbuild, Chromium) rather than on its own CPU: on that machine two at a time took the
 * suite from 807 s to 430 s.
 */
const maxWorkers = Math.max(2, availableParallelism() - 1);

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers,
    globalSetup: ['testing/temp-root-global-setup.ts', 'testing/azurite-global-setup.ts'],
    reporters: ['default'],
  },
});
