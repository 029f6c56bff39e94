import { expect, test } from 'vitest';
import { estimateAzure } from '../../bench/scale/azure-estimate';
import type { AzureAssumptions } from '../../bench/scale/azure-estimate';
import type { WorkloadFigures } from '../../bench/scale/workload-run';

const assumptions: AzureAssumptions = {
  prices: {
    serviceBusPerMillionOperations: 1,
    tablePer10kTransactions: 1,
    blobWritePer10k: 1,
    blobReadPer10k: 1,
    flexPerGbSecond: 1,
    flexPerMillionExecutions: 1,
    containerAppsPerVcpuSecond: 1,
    containerAppsPerGibSecond: 1,
  },
  buildMinutes: 1,
  buildVcpus: 2,
  buildGib: 4,
  jobConcurrency: 10,
  instanceMemoryGb: 2,
};

/** Only what the estimate reads. */
const figures = {
  workload: 'burst',
  builds: { byState: { succeeded: 100 } },
  plans: { waves: 3 },
  pipelineCpuMsPerBuild: 50,
  serviceBusOperations: { send: 40, message: 200, deliver: 300, settle: 300, 'management:x': 200, cbs: 7 },
  storageByName: {
    tables: {
      builds: { gets: 100, queries: 50, rows: 900, writes: 350 },
      publishqueue: { gets: 0, queries: 10, rows: 100, writes: 200 },
    },
    containers: {
      artifacts: { reads: 0, lists: 0, writes: 200 },
      repos: { reads: 150, lists: 50, writes: 100 },
    },
  },
} as unknown as WorkloadFigures;

test('the estimate bills what the run counted, per build and in total, at the given prices', () => {
  const estimate = estimateAzure(figures, assumptions);
  // Messages sent, delivered, settled and management requests; not the transfers that carried them or tokens.
  expect(estimate.perBuild).toEqual({
    serviceBusOperations: 10,
    tableTransactions: 7.1,
    blobWrites: 3,
    blobReads: 2,
    functionExecutions: 3,
    pipelineCpuMs: 50,
  });
  // 100 builds of 60 s over 10 executions at once: 600 s, more than the critical path of 3 waves (180 s).
  expect(estimate.hours).toBe(0.2);
  expect(estimate.costUsd).toMatchObject({
    serviceBus: 0, // 1,000 operations at 1 per million
    tables: 0.07,
    blobs: 0.05,
    functions: 10, // 5 CPU seconds × 2 GB, and 300 executions
    buildJobs: 100 * 60 * (2 + 4),
  });
  expect(estimate.limits[0]?.limit).toMatch(/build job concurrency/);
  expect(estimate.limits[0]?.use).toBe(1);
});

test('waves set the floor when the concurrency would allow more', () => {
  const estimate = estimateAzure(figures, { ...assumptions, jobConcurrency: 1_000 });
  expect(estimate.hours).toBe(Math.round(((3 * 60) / 3600) * 10) / 10);
});
