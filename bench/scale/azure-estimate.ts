import type { WorkloadFigures } from './workload-run';

/**
 * The Azure cost and time of one measured workload on the deployed pipeline, on paper: the counts come from
 * the local run (the broker's operations, the storage operations per table and container, the pipeline
 * process's CPU time per build), the prices and limits are parameters. Nothing here is measured on Azure.
 */
export interface AzurePrices {
  /** Service Bus Standard, per million operations beyond the 13 M a month the base charge includes. */
  readonly serviceBusPerMillionOperations: number;
  /** Table storage, per 10,000 transactions. */
  readonly tablePer10kTransactions: number;
  /** Blob storage (hot), per 10,000 write and per 10,000 read/list operations. */
  readonly blobWritePer10k: number;
  readonly blobReadPer10k: number;
  /** Flex Consumption on demand: per GB-second of execution and per million executions. */
  readonly flexPerGbSecond: number;
  readonly flexPerMillionExecutions: number;
  /** Container Apps (consumption): per vCPU-second and per GiB-second. */
  readonly containerAppsPerVcpuSecond: number;
  readonly containerAppsPerGibSecond: number;
}

export interface AzureAssumptions {
  readonly prices: AzurePrices;
  /** Minutes one real build runs in its Container Apps Job execution (the synthetic builds take 10 ms). */
  readonly buildMinutes: number;
  /** vCPUs and GiB of one build execution (bicep/modules/build-job.bicep's defaults). */
  readonly buildVcpus: number;
  readonly buildGib: number;
  /** Executions of the build job at once (its parallelism / the environment's quota). */
  readonly jobConcurrency: number;
  /** Memory of a Flex Consumption instance, GB. */
  readonly instanceMemoryGb: number;
}

/** Published limits the estimate checks the workload's rates against. */
export const AZURE_LIMITS = {
  /** Service Bus Standard: credits per second per namespace; a data operation is 1 per message. */
  serviceBusCreditsPerSecond: 1_000,
  /** A storage account's request rate. */
  storageRequestsPerSecond: 20_000,
  /** One table partition's entity rate. */
  tablePartitionEntitiesPerSecond: 2_000,
} as const;

export interface AzureEstimate {
  readonly workload: string;
  readonly builds: number;
  readonly perBuild: {
    readonly serviceBusOperations: number;
    readonly tableTransactions: number;
    readonly blobWrites: number;
    readonly blobReads: number;
    readonly functionExecutions: number;
    readonly pipelineCpuMs: number;
  };
  /** Lower bound: the critical path (one build per wave) or the builds spread over the job concurrency. */
  readonly hours: number;
  readonly costUsd: Readonly<
    Record<'serviceBus' | 'tables' | 'blobs' | 'functions' | 'buildJobs' | 'total', number>
  >;
  /** Each limit's use at the estimated pace (1 = at the limit), the highest first. */
  readonly limits: readonly { readonly limit: string; readonly use: number }[];
}

export function estimateAzure(figures: WorkloadFigures, assumptions: AzureAssumptions): AzureEstimate {
  const { prices } = assumptions;
  const builds = Math.max(1, figures.builds.byState.succeeded ?? 0);
  const ops = figures.serviceBusOperations ?? {};
  // What Service Bus bills: every message sent and received, every settlement, every management request.
  const serviceBusOperations = Object.entries(ops)
    .filter(([kind]) => kind !== 'send' && kind !== 'cbs')
    .reduce((sum, [, n]) => sum + n, 0);
  const tables = Object.values(figures.storageByName?.tables ?? {});
  const containers = Object.values(figures.storageByName?.containers ?? {});
  const tableTransactions = tables.reduce((sum, t) => sum + t.gets + t.queries + t.writes, 0);
  const blobWrites = containers.reduce((sum, c) => sum + c.writes, 0);
  const blobReads = containers.reduce((sum, c) => sum + c.reads + c.lists, 0);
  // Each message a function receives is one execution.
  const executions = ops.deliver ?? 0;
  const cpuSeconds = (figures.pipelineCpuMsPerBuild * builds) / 1000;

  const buildSeconds = assumptions.buildMinutes * 60;
  const criticalPath = figures.plans.waves * buildSeconds;
  const spread = Math.ceil(builds / assumptions.jobConcurrency) * buildSeconds;
  const seconds = Math.max(criticalPath, spread);

  const serviceBus = (serviceBusOperations / 1e6) * prices.serviceBusPerMillionOperations;
  const tableCost = (tableTransactions / 1e4) * prices.tablePer10kTransactions;
  const blobCost = (blobWrites / 1e4) * prices.blobWritePer10k + (blobReads / 1e4) * prices.blobReadPer10k;
  // Execution time billed as the CPU time the handlers took, at the instance's memory (a floor: an instance
  // waiting on I/O is billed too, so real figures are higher by the handlers' wait).
  const functions =
    cpuSeconds * assumptions.instanceMemoryGb * prices.flexPerGbSecond +
    (executions / 1e6) * prices.flexPerMillionExecutions;
  const buildJobs =
    builds *
    buildSeconds *
    (assumptions.buildVcpus * prices.containerAppsPerVcpuSecond +
      assumptions.buildGib * prices.containerAppsPerGibSecond);
  const total = serviceBus + tableCost + blobCost + functions + buildJobs;

  const perSecond = (count: number): number => count / seconds;
  const publishRows = figures.storageByName?.tables.publishqueue;
  const limits = [
    {
      limit: 'Service Bus Standard credits (1,000/s per namespace)',
      use: perSecond(serviceBusOperations) / AZURE_LIMITS.serviceBusCreditsPerSecond,
    },
    {
      limit: 'storage account requests (20,000/s)',
      use: perSecond(tableTransactions + blobWrites + blobReads) / AZURE_LIMITS.storageRequestsPerSecond,
    },
    {
      limit: 'one publishqueue partition (2,000 entities/s)',
      use:
        perSecond((publishRows?.writes ?? 0) + (publishRows?.rows ?? 0)) /
        AZURE_LIMITS.tablePartitionEntitiesPerSecond,
    },
    {
      limit: `build job concurrency (${assumptions.jobConcurrency} executions)`,
      use: Math.min(1, builds / assumptions.jobConcurrency),
    },
  ].sort((a, b) => b.use - a.use);

  const per = (n: number): number => Math.round((n / builds) * 10) / 10;
  const usd = (n: number): number => Math.round(n * 100) / 100;
  return {
    workload: figures.workload,
    builds,
    perBuild: {
      serviceBusOperations: per(serviceBusOperations),
      tableTransactions: per(tableTransactions),
      blobWrites: per(blobWrites),
      blobReads: per(blobReads),
      functionExecutions: per(executions),
      pipelineCpuMs: figures.pipelineCpuMsPerBuild,
    },
    hours: Math.round((seconds / 3600) * 10) / 10,
    costUsd: {
      serviceBus: usd(serviceBus),
      tables: usd(tableCost),
      blobs: usd(blobCost),
      functions: usd(functions),
      buildJobs: usd(buildJobs),
      total: usd(total),
    },
    limits: limits.map((l) => ({ limit: l.limit, use: Math.round(l.use * 1000) / 1000 })),
  };
}
