import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * At least two test files at once. Vitest's default is one fewer than the cores, which is one on the 2-core
 * CI machine, but most of a file's time here is spent waiting on the processes it starts (Azurite, the
 * broker, RabbitMQ, rpmbuild, Chromium) rather than on its own CPU: on that machine two at a time took the
 * suite from 807 s to 430 s.
 */
const maxWorkers = Math.max(2, availableParallelism() - 1);

/** The domain's tests: `shared/` does no I/O and keeps no state between calls. */
const PURE_TESTS = 'tests/shared/**/*.test.ts';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'adapters-and-hosts',
          include: ['tests/**/*.test.ts'],
          exclude: [PURE_TESTS],
          globalSetup: ['testing/temp-root-global-setup.ts', 'testing/azurite-global-setup.ts'],
        },
      },
      {
        /**
         * The pure tests share their worker processes' module cache (`isolate: false`): they start no process
         * and touch no global state, and loading the domain's modules again for each of the 125 files was most
         * of their time. Alone on 2 cores: 61 s (116 s of CPU) isolated, 25 s (46 s of CPU) shared.
         */
        extends: true,
        test: {
          name: 'domain',
          include: [PURE_TESTS],
          isolate: false,
          globalSetup: ['testing/temp-root-global-setup.ts'],
        },
      },
    ],
  },
});
