import { afterAll, beforeAll, expect, test } from 'vitest';
import { BlobStore, TableStore } from '../../infra/storage';
import { measurePipelineBurst } from '../../testing/pipeline/burst';
import type { PipelineBurst } from '../../testing/pipeline/burst';
import type { BenchPipeline } from '../../testing/pipeline/bench-pipeline';
import { startBenchPipeline } from '../../testing/pipeline/bench-pipeline';
import { PipelineClient } from '../../testing/pipeline/pipeline-client';
import { readRepository } from '../../testing/rpm/published-repository';

/**
 * A Koji mass-tag burst into `azl-rebuilder start --no-demo` (debounce 0) over the fixture Fedora: 1,000
 * messages posted in concurrent batches while the planner runs passes under its lease. Two new releases of
 * each component (the second at the dist-git head), their redeliveries, near misses, and 968 packages the
 * distro does not carry. Every accepted message is decided, nothing else is built, and each component ends
 * with exactly one successful build, of its newest release, which is what the repository serves.
 */
let pipeline: BenchPipeline;
let burst: PipelineBurst;

beforeAll(async () => {
  pipeline = await startBenchPipeline({ AZL_PLANNER_DEBOUNCE_SECONDS: '0', AZL_PLANNER_QUIET_SECONDS: '0' });
  const { storageConnectionString } = pipeline.endpoints;
  burst = await measurePipelineBurst(
    pipeline,
    new PipelineClient(pipeline.endpoints),
    new TableStore({ connectionString: storageConnectionString }),
    { total: 1000, firstRelease: 20 },
  );
}, 180_000);

afterAll(() => pipeline?.stop(), 60_000);

const components = ['azl-filesystem', 'azl-greeter', 'azl-hello-lib', 'azl-hello-tool'];

test('every message is answered: the redeliveries as duplicates, the rest accepted and then decided', () => {
  expect(burst.events).toBe(1000);
  // Each of the 4 components' 2 releases is sent 3 times: 16 redeliveries.
  expect(burst.ingestOutcomes).toEqual({ accepted: 984, duplicate: 16 });
  // (measurePipelineBurst returned, so the planner decided all 984 and none is left pending.)
});

test('only the fixture components are built, each successfully once (a second build is unchanged or superseded)', () => {
  expect(Object.keys(burst.buildsPerComponent).sort()).toEqual(components);
  for (const count of Object.values(burst.buildsPerComponent)) expect(count).toBeLessThanOrEqual(2);
  expect(burst.builds.succeeded).toBe(components.length);
  const others = Object.keys(burst.builds).filter((state) => state !== 'succeeded');
  expect(others.every((state) => state === 'unchanged' || state === 'superseded')).toBe(true);
});

test('the binary repository serves the newest release of each component, and nothing else', async () => {
  const blobs = new BlobStore({ connectionString: pipeline.endpoints.storageConnectionString });
  const repo = await readRepository(`${blobs.url('repos', 'base/x86_64')}/`);
  expect(repo.nevras).toEqual([
    'azl-filesystem-0:1.0-21.azl4.noarch',
    'azl-greeter-0:2.1-21.azl4.x86_64',
    'azl-hello-lib-0:1.0-21.azl4.x86_64',
    'azl-hello-lib-devel-0:1.0-21.azl4.x86_64',
    'azl-hello-tool-0:1.0-21.azl4.x86_64',
  ]);
});
