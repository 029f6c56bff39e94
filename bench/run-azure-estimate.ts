import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../infra/os/project-paths';
import { runBenchmark } from './main';
import { estimateAzure } from './scale/azure-estimate';
import type { AzureAssumptions, AzureEstimate } from './scale/azure-estimate';
import type { WorkloadFigures } from './scale/workload-run';

/**
 * `node dist/bench/run-azure-estimate.js [results.json] [--build-minutes <m>] [--concurrency <n>]`: the Azure
 * cost and time of each workload in a `bench:scale` results file, on paper (scale/azure-estimate.ts), added to
 * the file as `azureEstimate` and printed as a table.
 *
 * The prices are assumptions: pay-as-you-go list prices in USD as published for a US region when this was
 * written (Service Bus Standard operations beyond the included 13 M, GPv2 LRS hot storage, Flex Consumption on
 * demand, Container Apps consumption, active rate). Free grants and base charges are left out. Check them in the
 * Azure pricing calculator for your region before relying on the figures.
 */
export const ASSUMED: AzureAssumptions = {
  prices: {
    serviceBusPerMillionOperations: 0.8,
    tablePer10kTransactions: 0.00036,
    blobWritePer10k: 0.065,
    blobReadPer10k: 0.005,
    flexPerGbSecond: 0.000026,
    flexPerMillionExecutions: 0.4,
    containerAppsPerVcpuSecond: 0.000024,
    containerAppsPerGibSecond: 0.000003,
  },
  buildMinutes: 10,
  // builderCpuCores' default (bicep/main.bicep) and its memory, twice that in GiB.
  buildVcpus: 2,
  buildGib: 4,
  jobConcurrency: 50,
  instanceMemoryGb: 2,
};

async function run(): Promise<void> {
  const argv = process.argv.slice(2);
  const option = (name: string): number | undefined => {
    const at = argv.indexOf(name);
    return at < 0 ? undefined : Number(argv[at + 1]);
  };
  const file = argv.find((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--'));
  const path = file ?? join(projectRoot(), 'bench', 'results', 'scale.json');
  const assumptions: AzureAssumptions = {
    ...ASSUMED,
    buildMinutes: option('--build-minutes') ?? ASSUMED.buildMinutes,
    jobConcurrency: option('--concurrency') ?? ASSUMED.jobConcurrency,
  };
  const results = JSON.parse(readFileSync(path, 'utf8')) as { results: WorkloadFigures[] } & Record<
    string,
    unknown
  >;
  const estimates: AzureEstimate[] = results.results.map((figures) => estimateAzure(figures, assumptions));
  writeFileSync(
    path,
    `${JSON.stringify({ ...results, azureEstimate: { assumptions, estimates } }, null, 2)}\n`,
  );
  for (const e of estimates) process.stdout.write(`${JSON.stringify(e)}\n`);
  process.stdout.write(`added to ${path}\n`);
}

runBenchmark(run);
